package org.fgclip2.serialization;

import org.apache.avro.Schema;

/** Under which registry subject a record's schema is registered, as in Confluent's serializers. */
public enum SubjectNameStrategy {

    /** {@code <topic>-value} or {@code <topic>-key}: one schema lineage per topic (the Confluent default). */
    TOPIC_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per record type, shared by all topics. */
    RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return fullName(schema);
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic, each with its own lineage. */
    TOPIC_RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + fullName(schema);
        }
    };

    /** The subject for a record of {@code schema} written to {@code topic} as key or value. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    private static String fullName(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> throw new IllegalArgumentException(
                    "The RECORD_NAME and TOPIC_RECORD_NAME subject strategies need a named schema, not " + schema.getType());
        };
    }
}
