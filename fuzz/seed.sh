#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the shipped law, the example cases and
# the test inputs (the corpus folders are not committed: they grow as the
# fuzzers run).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/compile corpus/fmt corpus/record
find ../rules ../tests -name '*.rules' -exec cp {} corpus/compile/ \;
find ../rules ../tests -name '*.rules' -exec cp {} corpus/fmt/ \;
find ../tests -name '*.yaml' -o -name '*.json' -o -name '*.jsonl' | while read -r f; do
  cp "$f" "corpus/record/$(echo "${f#../}" | tr '/' '_')"
done
# `lsa check --set`: a first line `path=value` set on the case that follows.
for set in applicant.family_in_lithuania=true 'responsibility.entries[0].on=2026-07-01' relocation.information_received_on=2026-07-10; do
  { echo "$set"; cat ../tests/examples/border-low-recognition.yaml; } > "corpus/record/set_$(echo "$set" | tr -c 'a-z0-9' '_')"
done
echo "seeded: $(ls corpus/compile | wc -l) rule files, $(ls corpus/record | wc -l) records"
