#!/usr/bin/env bash
# Makes the upgrade fixture: a data directory written by the release named in release.txt, and the answers that
# release gave (expected.json). Run against that release's jar, started on an empty data directory:
#   java -jar ledger-<release>.jar --ledger.data-dir=DIR --server.port=18080 --server.address=127.0.0.1
#   bash make-fixture.sh http://127.0.0.1:18080 > expected.json      (then stop the ledger with SIGTERM)
#   (cd DIR && zip -9 ledger-data.zip ledger.mv.db)
set -euo pipefail
B=${1:-http://127.0.0.1:18080}
J='Content-Type: application/json'
post() { curl -sf -u "$1" -H "$J" "$B$2" -d "$3"; }
id() { sed 's/.*"caseId":"\([^"]*\)".*/\1/'; }
entry() { sed 's/.*"entryId":"\([^"]*\)".*/\1/'; }

journey() { # caseId unit day
  local C=$1 U=$2 D=$3
  post caseworker:caseworker /api/cases/$C/contacts "{\"channel\":\"PHONE\",\"direction\":\"INBOUND\",\"unit\":\"$U\",\"staffId\":\"s1\",\"purpose\":\"APPLICATION\",\"queuedAt\":\"${D}T08:10:00+01:00\",\"startedAt\":\"${D}T08:15:00+01:00\",\"endedAt\":\"${D}T08:25:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/handovers "{\"fromUnit\":\"$U\",\"toUnit\":\"BACK-HB\",\"reason\":\"NEEDS_EXPERTISE\",\"occurredAt\":\"${D}T09:00:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/information-requests "{\"informationType\":\"INCOME\",\"dueDate\":\"2024-12-31\",\"unit\":\"BACK-HB\",\"occurredAt\":\"${D}T10:00:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/information "{\"informationType\":\"INCOME\",\"channel\":\"EMAIL\",\"unit\":\"BACK-HB\",\"occurredAt\":\"${D}T12:00:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/work "{\"unit\":\"BACK-HB\",\"staffId\":\"bo-3\",\"activity\":\"assess income\",\"startedAt\":\"${D}T13:00:00+01:00\",\"endedAt\":\"${D}T13:40:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/decisions "{\"outcome\":\"GRANTED\",\"unit\":\"BACK-HB\",\"occurredAt\":\"${D}T14:00:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/resolution "{\"unit\":\"BACK-HB\",\"occurredAt\":\"${D}T14:05:00+01:00\"}" >/dev/null
  post caseworker:caseworker /api/cases/$C/satisfaction "{\"score\":4,\"channel\":\"SELF_SERVICE\",\"occurredAt\":\"${D}T16:00:00+01:00\"}" >/dev/null
}

open() { # cpr unit day group
  post caseworker:caseworker /api/cases "{\"cpr\":\"$1\",\"citizenGroup\":\"$4\",\"serviceArea\":\"HOUSING_BENEFIT\",\"municipality\":\"101\",\"channel\":\"PHONE\",\"unit\":\"$2\",\"occurredAt\":\"${3}T08:15:00+01:00\"}" | id
}

C1=$(open 0101701234 KBH-KC 2024-03-04 ELDERLY)
journey "$C1" KBH-KC 2024-03-04
C2=$(open 1502851236 KBH-KC 2024-03-05 FAMILY_WITH_CHILDREN)
CONTACT=$(post caseworker:caseworker /api/cases/$C2/contacts '{"channel":"IN_PERSON","direction":"INBOUND","unit":"KBH-KC","purpose":"QUESTION","queuedAt":"2024-03-05T08:20:00+01:00","startedAt":"2024-03-05T08:30:00+01:00","endedAt":"2024-03-05T08:40:00+01:00"}' | entry)
journey "$C2" KBH-KC 2024-03-05
# Corrections: one changes a contact's end, one voids a contact recorded in error.
post caseworker:caseworker /api/cases/$C2/corrections "{\"correctedEntryId\":\"$CONTACT\",\"reason\":\"the call ended later\",\"changes\":{\"endedAt\":\"2024-03-05T08:50:00+01:00\"},\"occurredAt\":\"2024-03-06T11:00:00+01:00\"}" >/dev/null
C3=$(open 2906841357 KBH-KC 2024-03-07 ELDERLY)
WRONG=$(post caseworker:caseworker /api/cases/$C3/contacts '{"channel":"LETTER","direction":"OUTBOUND","unit":"KBH-KC","purpose":"QUESTION","startedAt":"2024-03-07T09:00:00+01:00","endedAt":"2024-03-07T09:00:00+01:00"}' | entry)
journey "$C3" KBH-KC 2024-03-07
post caseworker:caseworker /api/cases/$C3/corrections "{\"correctedEntryId\":\"$WRONG\",\"reason\":\"recorded on the wrong case\",\"voidEntry\":true,\"occurredAt\":\"2024-03-08T11:00:00+01:00\"}" >/dev/null
# Erasure of the third citizen: the case keeps its figures, loses the CPR number.
post admin:admin /api/citizens/erasures '{"cpr":"2906841357"}' >/dev/null
# An import of two traces.
curl -sf -u admin:admin -F "file=@$(dirname "$0")/small-log.xes" $B/api/imports >/dev/null
sleep 5
# Wait until every projection has caught up.
for _ in $(seq 1 60); do
  P=$(curl -sf -u admin:admin $B/api/admin/projections)
  echo "$P" | grep -q '"lag":[1-9]' || break
  sleep 1
done
echo '{"cases":['
first=1
# Every case in the ledger (all resolved, so their figures do not run on with the clock).
ALL=$(for S in RESOLVED OPEN; do curl -sf -u caseworker:caseworker "$B/api/cases?status=$S&limit=200"; done \
      | grep -o '"caseId":"[^"]*"' | cut -d'"' -f4 | sort -u)
for C in $ALL; do
  [ $first = 1 ] || echo ','
  first=0
  printf '{"caseId":"%s","view":%s,"history":%s,"journey":%s}\n' "$C" \
    "$(curl -sf -u caseworker:caseworker $B/api/cases/$C)" \
    "$(curl -sf -u caseworker:caseworker $B/api/cases/$C/history)" \
    "$(curl -sf -u caseworker:caseworker $B/api/cases/$C/journey)"
done
echo '],"evaluation":'
curl -sf -u manager:manager "$B/api/evaluation?from=2024-01-01&to=2024-12-31&groupBy=citizenGroup"
echo ',"verification":'
curl -sf -u admin:admin $B/api/admin/ledger/verification
echo '}'
