package org.fgclip2.serialization;

import java.io.IOException;

/**
 * The Avro body of a record breaks the binary encoding in a way other than ending too soon: a negative length,
 * an over-long varint, a string that is not UTF-8. Its message is complete, so it is shown as it is.
 */
final class MalformedAvroException extends IOException {

    MalformedAvroException(String message) {
        super(message);
    }
}
