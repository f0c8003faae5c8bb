package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** The pending stores' record format: headers survive a restore, and entries written before headers still read. */
class PendingRecordTest {

    @Test
    void headersSurviveTheStoreInOrderWithDuplicatesAndNullValues() {
        List<Header> headers = List.of(new RecordHeader("traceparent", "00-a-b-01".getBytes()),
                new RecordHeader("x", null), new RecordHeader("x", new byte[] {7}));
        var record = new PendingRecord(new ConsumedRecord("fgclip2.images", 3, 42L, 1000L, "k".getBytes(),
                new byte[] {1, 2}, headers), 2000L);
        PendingRecord back = PendingRecord.fromBytes(record.toBytes());
        assertThat(back.source().headers()).isEqualTo(headers);
        assertThat(back.source().coordinates()).isEqualTo(record.source().coordinates());
        assertThat(back.source().value()).containsExactly(1, 2);
        assertThat(back.acceptedAtMillis()).isEqualTo(2000L);
    }

    @Test
    void anEntryOfTheFormatBeforeHeadersReadsAsARecordWithoutHeaders() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(1);
            out.writeUTF("fgclip2.images");
            out.writeInt(3);
            out.writeLong(42L);
            out.writeLong(1000L);
            out.writeInt(1);
            out.write('k');
            out.writeInt(-1);
            out.writeLong(2000L);
        }
        PendingRecord old = PendingRecord.fromBytes(buffer.toByteArray());
        assertThat(old.source().coordinates()).isEqualTo(new SourceHeader.Coordinates("fgclip2.images", 3, 42L));
        assertThat(old.source().key()).containsExactly('k');
        assertThat(old.source().value()).isNull();
        assertThat(old.source().headers()).isEmpty();
        assertThat(old.acceptedAtMillis()).isEqualTo(2000L);
    }
}
