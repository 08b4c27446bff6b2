#!/usr/bin/env bash
# Builds the Camel peer of the pipeline bench once into bench/peer-camel/target/peer-camel.jar (Maven, Java 17;
# jars cached in ~/.m2). Idempotent: does nothing when the jar is newer than every source file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../../scripts/ensure-java.sh"
jar="$here/target/peer-camel.jar"
if [ -f "$jar" ] && [ -z "$(find "$here/pom.xml" "$here/src" "$here/../raw-pipeline/message.schema.json" -newer "$jar" -print -quit)" ]; then
  echo "$jar"
  exit 0
fi
echo "[peer-camel] building $jar (first time: Maven downloads Spring Boot and Camel)" >&2
(cd "$here" && mvn -q -B -DskipTests package >&2)
echo "$jar"
