#!/usr/bin/env bash
# A family moves from 千代田区 (Tokyo) to 札幌市 (Hokkaido): the whole hand-over through the API,
# from the first report to the new holder's first update. Run it against `make run`:
#
#   scripts/demo-move.sh [http://127.0.0.1:8080]
#
# It uses the demo logins (chiyoda, sapporo; password mimamori-demo-2026) and prints each step.
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
PASSWORD=${MIMAMORI_DEMO_PASSWORD:-mimamori-demo-2026}
JAR=$(mktemp -d)
trap 'rm -rf "$JAR"' EXIT

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)'"$1"')'; }
step() { printf '\n== %s\n' "$*"; }

# Signs in (a browser session: HttpOnly cookie plus CSRF token), then creates a bearer token for scripts.
token_for() {
  local login=$1 csrf
  csrf=$(curl -sf -c "$JAR/$login" -H 'Content-Type: application/json' \
    --data "{\"login\": \"$login\", \"password\": \"$PASSWORD\"}" "$BASE/api/v1/session" | json '["csrf_token"]')
  curl -sf -b "$JAR/$login" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    --data '{"label": "demo-move", "days": 1}' "$BASE/api/v1/tokens" | json '["token"]'
}

step "千代田区 and 札幌市 sign in"
TOKYO="Authorization: Bearer $(token_for chiyoda)"
SAPPORO="Authorization: Bearer $(token_for sapporo)"

step "千代田区 records the first report (通告) about a child"
EXTERNAL="DEMO-MOVE-$(date +%s)"
CASE=$(curl -sf -H "$TOKYO" -H 'Content-Type: application/json' "$BASE/api/v1/cases" --data @- <<JSON | json '["case_id"]'
{"external_id": "$EXTERNAL", "status": "open",
 "child": {"family_name": "北村", "given_name": "陽菜", "family_name_kana": "キタムラ", "given_name_kana": "ヒナ", "birthdate": "平成31年4月3日", "sex": "female"},
 "guardians": [{"relation": "mother", "family_name": "北村", "given_name": "真由美", "family_name_kana": "キタムラ", "given_name_kana": "マユミ"}],
 "address": {"prefecture": "東京都", "municipality": "千代田区"},
 "consultations": [{"date": "2026-10-01", "source": "school", "abuse_types": ["neglect"], "status": "open"}]}
JSON
)
echo "case $CASE"

step "The family moves to 札幌市: 千代田区 sends the case (ケース移管)"
TRANSFER=$(curl -sf -H "$TOKYO" -H 'Content-Type: application/json' "$BASE/api/v1/cases/$CASE/transfers" \
  --data '{"destination": "011002", "kind": "transfer", "urgent": false, "reason": "札幌市へ転居のため"}' | json '["id"]')
echo "transfer $TRANSFER"

step "札幌市 finds it in its inbox"
curl -sf -H "$SAPPORO" "$BASE/api/v1/notifications?unread=true" \
  | python3 -c 'import json,sys; [print(n["kind"], n["ref"]) for n in json.load(sys.stdin)["notifications"] if n["ref"] == sys.argv[1]]' "$TRANSFER"

step "札幌市 confirms: it becomes the holder, and the record moves to Hokkaido's partition"
curl -sf -H "$SAPPORO" -X POST "$BASE/api/v1/transfers/$TRANSFER/confirm" | json '["state"]'

step "札幌市 makes its first update (If-Match: the version it read)"
ETAG=$(curl -sf -D - -o /dev/null -H "$SAPPORO" "$BASE/api/v1/cases/$CASE" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
curl -sf -H "$SAPPORO" -X PATCH -H "If-Match: $ETAG" -H 'Content-Type: application/merge-patch+json' \
  --data '{"address": {"prefecture": "北海道", "municipality": "札幌市"}, "notes": "札幌市にて受理、家庭訪問予定"}' \
  "$BASE/api/v1/cases/$CASE" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("holder", d["holder"]["code"], "version", d["version"])'

step "千代田区 no longer reads the record (403), but still finds the child in search, held by 札幌市"
curl -s -o /dev/null -w '%{http_code}\n' -H "$TOKYO" "$BASE/api/v1/cases/$CASE"
curl -sf -H "$TOKYO" "$BASE/api/v1/search?name=%E5%8C%97%E6%9D%91%20%E9%99%BD%E8%8F%9C&birthdate=2019-04-03" \
  | python3 -c 'import json,sys; [print(h["authority"]["name"], h["access"]) for h in json.load(sys.stdin)["hits"] if h["case_id"] == sys.argv[1]]' "$CASE"
