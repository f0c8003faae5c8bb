#!/usr/bin/env python3
"""Reads and writes Confluent-format Avro records with Confluent's own Python client, so the Java serdes
can be checked against an independent implementation of the wire format and the registry protocol.

Uses the confluent_kafka.avro API (CachedSchemaRegistryClient + MessageSerializer), which runs on Debian's
python3-avro; the newer confluent_kafka.schema_registry.avro needs fastavro, which Debian 12 does not package.

  confluent_avro_interop.py decode REGISTRY_URL PAYLOAD_FILE
      prints the record in PAYLOAD_FILE as JSON, its writer schema fetched from the registry by id
  confluent_avro_interop.py encode REGISTRY_URL TOPIC SCHEMA_FILE RECORD_JSON PAYLOAD_FILE
      registers SCHEMA_FILE under TOPIC-value and writes RECORD_JSON in the wire format to PAYLOAD_FILE
  confluent_avro_interop.py consume BOOTSTRAP REGISTRY_URL TOPIC COUNT TIMEOUT_SECONDS
      reads COUNT records (read_committed, from the beginning) with librdkafka and prints one JSON object per
      line: {"key": ..., "value": ...}
"""
import time
import json
import sys

from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def decode(registry_url, payload_file):
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    with open(payload_file, "rb") as payload:
        record = serializer.decode_message(payload.read())
    print(json.dumps(record, ensure_ascii=False, sort_keys=True))


def encode(registry_url, topic, schema_file, record_json, payload_file):
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    with open(schema_file, encoding="utf-8") as schema:
        avro_schema = loads(schema.read())
    payload = serializer.encode_record_with_schema(topic, avro_schema, json.loads(record_json))
    with open(payload_file, "wb") as out:
        out.write(payload)


def consume(bootstrap, registry_url, topic, count, timeout_seconds):
    from confluent_kafka import Consumer
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "python-%d" % time.time_ns(),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    wanted, deadline, seen = int(count), time.time() + float(timeout_seconds), 0
    try:
        while seen < wanted and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            key = message.key().decode("utf-8") if message.key() is not None else None
            value = serializer.decode_message(message.value()) if message.value() is not None else None
            print(json.dumps({"key": key, "value": value}, ensure_ascii=False, sort_keys=True, default=str))
            seen += 1
    finally:
        consumer.close()


if __name__ == "__main__":
    commands = {"decode": (decode, 2), "encode": (encode, 5), "consume": (consume, 5)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or len(sys.argv) - 2 != commands[sys.argv[1]][1]:
        sys.exit(__doc__)
    command, _ = commands[sys.argv[1]]
    command(*sys.argv[2:])
