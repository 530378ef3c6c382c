#!/usr/bin/env bash
# The API tour: a service center files an act, a manager reviews it and ships the part, the
# service center reports a wrong part, gets another and closes the repair; its own parts are
# settled; a pre-sale product is filed and its repair fails after delivery; an act's parts come in
# two parcels; a paid order is invoiced, paid and shipped. Run it against a
# started API and worker (`npm run start:all` in another terminal):
#
#   bash scripts/tour.sh                     # API=http://localhost:3000/api/v1, a new manager key
#   API=http://host:3000/api/v1 KEY=wa_… bash scripts/tour.sh
#
# Without KEY it makes a manager with the CLI of the build (`node dist/src/cli.js`), which needs
# the API's DATABASE_URL. Needs bash, curl and node (for JSON; no jq). Each step is a function
# named in STEPS; a request answered with another status than the step expects stops the tour
# with the step, the request and the answer. Expected refusals (409, 401) are checked the same way.
set -euo pipefail

API=${API:-http://localhost:3000/api/v1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN=$(node -p 'Date.now().toString(36)') # makes names unique, so the tour can run again
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; [ -z "${HOOKS_PID:-}" ] || kill "$HOOKS_PID" 2>/dev/null; true' EXIT
STEP=start

# call STATUS METHOD PATH [curl options…]: prints the answer's body; any other status stops the tour.
call() {
  local expected=$1 method=$2 path=$3 status
  shift 3
  status=$(curl -sS -o "$TMP/body" -w '%{http_code}' -X "$method" "$API$path" "$@")
  if [ "$status" != "$expected" ]; then
    printf 'tour: step %s: %s %s answered %s, expected %s\n%s\n' "$STEP" "$method" "$path" "$status" "$expected" "$(cat "$TMP/body")" >&2
    exit 1
  fi
  cat "$TMP/body"
}
# json PATH: one value of the JSON on stdin (PATH like `id` or `items.0.status`); strings bare.
json() {
  node -e '
    let v = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const k of process.argv[1].split(".").filter(Boolean)) v = v == null ? undefined : v[k];
    if (v === undefined) { console.error(`tour: no ${process.argv[1]} in the answer`); process.exit(1); }
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1"
}
# check WHAT ACTUAL EXPECTED
check() {
  if [ "$2" != "$3" ]; then
    printf 'tour: step %s: %s is %s, expected %s\n' "$STEP" "$1" "$2" "$3" >&2
    exit 1
  fi
}
uuid() { node -p 'crypto.randomUUID()'; }
days_ago() { node -p "new Date(Date.now() - $1 * 86400000).toISOString().slice(0, 10)"; }

step_manager_key() {
  # The first manager comes from the CLI: its key is the last line of stdout.
  if [ -z "${KEY:-}" ]; then
    KEY=$(node "$ROOT/dist/src/cli.js" create-manager --name "Ольга Петрова" --email "olga-$RUN@example.com" | tail -n 1)
  fi
  M=(-H "Authorization: Bearer $KEY")
}

step_health() {
  call 200 GET /health/ready
  echo
}

step_service_center() {
  # A manager registers a service center and issues it a key (shown once).
  SC_ID=$(call 201 POST /service-centers "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"name": "СЦ Восток '"$RUN"'", "email": "vostok-'"$RUN"'@example.com", "city": "Владивосток", "phone": "8 423 230-08-11"}' | json id)
  SC_KEY=$(call 201 POST "/service-centers/$SC_ID/api-keys" "${M[@]}" -H 'Content-Type: application/json' -d '{"label": "1C"}' | json key)
  SC=(-H "Authorization: Bearer $SC_KEY")
  echo "service center $SC_ID"
}

step_categories() {
  # Anyone with a key reads the product categories; a manager adds one.
  CATEGORY=$(call 200 GET /product-categories "${SC[@]}" | json 0.id)
  call 201 POST /product-categories "${M[@]}" -H 'Content-Type: application/json' -d '{"name": "Измельчитель '"$RUN"'"}'
  echo
}

step_revoke_key() {
  # A second key for the service center, revoked: it stops working at once.
  local spare
  spare=$(call 201 POST "/service-centers/$SC_ID/api-keys" "${M[@]}" -H 'Content-Type: application/json' -d '{"label": "old 1C"}')
  call 204 DELETE "/api-keys/$(json id <<<"$spare")" "${M[@]}"
  call 401 GET /product-categories -H "Authorization: Bearer $(json key <<<"$spare")" >/dev/null
}

step_idempotent_retry() {
  # Every POST may carry an Idempotency-Key: a retry returns the first answer and does nothing twice.
  local key first second
  key=$(uuid)
  first=$(call 201 POST /service-centers "${M[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"name": "СЦ Запад '"$RUN"'", "email": "west-'"$RUN"'@example.com"}' | json id)
  second=$(call 201 POST /service-centers "${M[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"name": "СЦ Запад '"$RUN"'", "email": "west-'"$RUN"'@example.com"}' | json id)
  check 'the retried service center' "$second" "$first"
}

step_file_act() {
  # Step 1 ("Изделие") starts the draft; an Idempotency-Key makes a retried "Create" safe.
  local act
  act=$(call 201 POST /acts "${SC[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' -d '{"product": {
    "categoryId": "'"$CATEGORY"'", "model": "ЭГК-1500 Энергопром", "serialNumber": "01.234.09274",
    "complaint": "Не запускается", "condition": "used", "saleDate": "'"$(days_ago 60)"'",
    "acceptedDate": "'"$(days_ago 3)"'", "completeness": "incomplete", "hasWarrantyCard": true}}')
  ID=$(json id <<<"$act")
  NUMBER=$(json number <<<"$act") # e.g. ACT-2026-000001
  echo "act $NUMBER ($ID)"

  # Steps 2-4 in any order; each PUT replaces its section. If-Match guards against lost updates.
  call 200 PUT "/acts/$ID/diagnosis" "${SC[@]}" -H 'Content-Type: application/json' -H "If-Match: \"$(json version <<<"$act")\"" -d '{
    "internalNumber": "12833-во-31", "mechanic": "Иванов Иван",
    "result": "Коленвал вышел из строя из-за попадания воды в цилиндр (гидроудар)",
    "conclusion": "Гарантийный случай, нужна замена коленвала", "warrantyCase": true}' >/dev/null
  call 200 PUT "/acts/$ID/parts" "${SC[@]}" -H 'Content-Type: application/json' -d '[
    {"name": "Коленвал", "diagramNumber": "14", "quantity": 1},
    {"name": "Шнур стартера", "quantity": 2, "ownPart": true, "unitPrice": "150.50"}]' >/dev/null
  call 200 PUT "/acts/$ID/extra" "${SC[@]}" -H 'Content-Type: application/json' -d '{
    "customerName": "Петров Пётр", "customerPhone": "8 916 123-45-67", "sellerOrganization": "ООО «Садовод»",
    "complexity": 2, "productState": "left_at_service_center"}' >/dev/null
  # A stale If-Match (the version before the three PUTs) is refused.
  call 412 PUT "/acts/$ID/diagnosis" "${SC[@]}" -H 'Content-Type: application/json' -H "If-Match: \"$(json version <<<"$act")\"" \
    -d '{"mechanic": "Иванов Иван", "result": "—", "conclusion": "—", "warrantyCase": true}' >/dev/null
}

step_submit() {
  # "Create": the whole act is checked (422 lists every failing field). Without the required
  # photos the act goes straight to info_requested, with a system comment naming what is missing.
  check 'the status after submit' "$(call 200 POST "/acts/$ID/submit" "${SC[@]}" | json status)" info_requested
}

step_photos() {
  # Photos are judged by content (JPEG, PNG, WebP, HEIC, PDF). A tiny JPEG per kind will do here.
  local kind photo
  for kind in nameplate warranty_card breakage part other; do
    printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00%s %s\xff\xd9' "$kind" "$RUN" >"$TMP/$kind.jpg"
    photo=$(call 201 POST "/acts/$ID/photos" "${SC[@]}" -F kind=$kind -F "file=@$TMP/$kind.jpg;type=image/jpeg" | json id)
  done
  # The SC's photo answered the request: the act is back to submitted.
  check 'the status after the photos' "$(call 200 GET "/acts/$ID" "${SC[@]}" | json status)" submitted
  # Download: the bytes, with the stored Content-Type and Content-Disposition: attachment.
  call 200 GET "/acts/$ID/photos/$photo" "${SC[@]}" -D "$TMP/headers" >"$TMP/downloaded.jpg"
  cmp -s "$TMP/downloaded.jpg" "$TMP/other.jpg" || { echo "tour: the downloaded photo differs" >&2 && exit 1; }
  grep -i '^content-disposition: attachment' "$TMP/headers"
  # An SC deletes photos only while draft or info_requested; a manager at any time.
  call 409 DELETE "/acts/$ID/photos/$photo" "${SC[@]}" >/dev/null
  call 204 DELETE "/acts/$ID/photos/$photo" "${M[@]}"
}

step_webhooks() {
  # The SC's own software hears about its acts at once: a signed POST per event (Standard Webhooks).
  # Only http(s); hosts on loopback, private or link-local addresses are refused (422 naming url) ...
  call 422 POST /webhooks "${SC[@]}" -H 'Content-Type: application/json' -d '{"url": "file:///etc/passwd"}' >/dev/null
  if [ "${WEBHOOK_ALLOW_PRIVATE:-false}" != true ]; then
    call 422 POST /webhooks "${SC[@]}" -H 'Content-Type: application/json' -d '{"url": "http://169.254.169.254/latest/meta-data/"}' >/dev/null
    echo 'webhooks: start the API and the worker with WEBHOOK_ALLOW_PRIVATE=true to receive them here on the loopback'
    return
  fi
  # ... unless WEBHOOK_ALLOW_PRIVATE=true: then a receiver on this machine will do.
  node -e 'require("http").createServer((q, r) => { let b = ""; q.on("data", (c) => (b += c)).on("end", () => {
      require("fs").appendFileSync(process.argv[1], JSON.stringify({ headers: q.headers, body: b }) + "\n"); r.end(); });
    }).listen(0, "127.0.0.1", function () { require("fs").writeFileSync(process.argv[2], String(this.address().port)); })' \
    "$TMP/hooks" "$TMP/hooks.port" &
  HOOKS_PID=$!
  local hook secret status
  until [ -s "$TMP/hooks.port" ]; do sleep 0.1; done
  hook=$(call 201 POST /webhooks "${SC[@]}" -H 'Content-Type: application/json' \
    -d '{"url": "http://127.0.0.1:'"$(cat "$TMP/hooks.port")"'/hooks", "events": ["act.comment_added"], "description": "1С"}')
  secret=$(json secret <<<"$hook") # whsec_…: shown only here and on rotation
  call 201 POST "/acts/$ID/comments" "${M[@]}" -H 'Content-Type: application/json' -d '{"text": "Проверим по фото"}' >/dev/null
  for _ in $(seq 100); do [ -s "$TMP/hooks" ] && break; sleep 0.1; done
  # The receiver checks the signature with the reference library and drops repeats by webhook-id.
  check 'the verified event' "$(head -n 1 "$TMP/hooks" | WEBHOOK_SECRET=$secret node -e '
    const { Webhook } = require(process.argv[1] + "/node_modules/standardwebhooks");
    const { headers, body } = JSON.parse(require("fs").readFileSync(0, "utf8"));
    process.stdout.write(new Webhook(process.env.WEBHOOK_SECRET).verify(body, headers).type);' "$ROOT")" act.comment_added
  # The delivery log (cursor-paginated): status, attempts, last HTTP status and error, 1 KB of the answer.
  for _ in $(seq 50); do
    status=$(call 200 GET "/webhooks/$(json id <<<"$hook")/deliveries" "${SC[@]}" | json items.0.status)
    [ "$status" = delivered ] && break
    sleep 0.1
  done
  check 'the delivery' "$status" delivered
  call 200 POST "/webhooks/$(json id <<<"$hook")/rotate-secret" "${SC[@]}" >/dev/null # both secrets sign for 24 h
  call 204 DELETE "/webhooks/$(json id <<<"$hook")" "${SC[@]}"
  kill "$HOOKS_PID" && HOOKS_PID=
}

step_conversation() {
  call 201 POST "/acts/$ID/comments" "${SC[@]}" -H 'Content-Type: application/json' -d '{"text": "Фото шильдика приложили"}' >/dev/null
  call 200 GET "/acts/$ID/comments" "${SC[@]}"
  echo
  call 200 GET "/acts/$ID/history" "${SC[@]}" >/dev/null
}

step_lists() {
  # Lists (newest first, cursor-paginated); query values URL-encoded by curl.
  check 'the act found by q' "$(call 200 GET /acts "${SC[@]}" -G --data-urlencode 'q=энергопром' --data-urlencode status=submitted \
    --data-urlencode limit=20 | json items.0.id)" "$ID"
  # Lookup by the sequence number alone (leading zeros optional).
  check 'the act found by number' "$(call 200 GET /acts/lookup "${SC[@]}" -G --data-urlencode "number=${NUMBER##*-}" | json items.0.id)" "$ID"
  # The managers' review queue.
  call 200 GET /acts "${M[@]}" -G --data-urlencode status=submitted --data-urlencode sort=review >/dev/null
}

step_withdraw_draft() {
  # A draft can be withdrawn (closed as "withdrawn"; again: nothing to do); a submitted act cannot.
  local draft
  draft=$(call 201 POST /acts "${SC[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' -d '{"product": {
    "categoryId": "'"$CATEGORY"'", "model": "Триммер ТБ-43", "serialNumber": null, "noSerialNumber": true,
    "complaint": "Черновик по ошибке", "condition": "new", "saleDate": "'"$(days_ago 10)"'",
    "acceptedDate": "'"$(days_ago 1)"'", "completeness": "full", "hasWarrantyCard": false}}' | json id)
  call 204 DELETE "/acts/$draft" "${SC[@]}"
  check 'the withdrawn act' "$(call 200 GET "/acts/$draft" "${SC[@]}" | json resolution)" withdrawn
  call 204 DELETE "/acts/$draft" "${SC[@]}"
  call 409 DELETE "/acts/$ID" "${SC[@]}" >/dev/null
}

step_review() {
  # A question (e-mailed to the SC): info_requested until the SC answers by a comment or a photo.
  call 200 POST "/acts/$ID/request-info" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"text": "Пришлите фото шильдика крупнее", "replyWithin": "3d"}' >/dev/null
  call 201 POST "/acts/$ID/comments" "${SC[@]}" -H 'Content-Type: application/json' -d '{"text": "Фото загрузили"}' >/dev/null
  check 'the status after the answer' "$(call 200 GET "/acts/$ID" "${M[@]}" | json status)" submitted
  # The decision: warranty or paid → approved; not_warranty → closed.
  check 'the status after the decision' "$(call 200 POST "/acts/$ID/decision" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"decision": "warranty", "comment": "Гарантия подтверждена"}' | json status)" approved
}

step_ship() {
  # The parts of approved acts of one service center travel in one parcel: parts_shipped.
  SHIPMENT=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "1234567890", "urgent": false, "actIds": ["'"$ID"'"]}' | json id)
  check 'the status after shipping' "$(call 200 GET "/acts/$ID" "${SC[@]}" | json status)" parts_shipped
  call 200 GET /shipments "${M[@]}" -G --data-urlencode "serviceCenterId=$SC_ID" --data-urlencode limit=20 >/dev/null
  check 'the shipment the SC sees' "$(call 200 GET /shipments "${SC[@]}" -G --data-urlencode "actId=$ID" | json items.0.id)" "$SHIPMENT"
}

step_deliver() {
  # The SC (or a manager) confirms the parcel arrived (deliveredAt defaults to now): parts_delivered;
  # the SC may report a problem until deliveredAt + MISMATCH_WINDOW. A second time is refused.
  call 200 POST "/shipments/$SHIPMENT/delivered" "${SC[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
  check 'the status after delivery' "$(call 200 GET "/acts/$ID" "${SC[@]}" | json status)" parts_delivered
  call 409 POST "/shipments/$SHIPMENT/delivered" "${M[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
}

step_mismatch_and_reship() {
  # A problem with the parts (reason: wrong_part, incomplete, damaged, other_unit_failed, other)
  # → part_mismatch, with the act's `problem` and needsAttention; the manager ships again.
  check 'the status after the mismatch' "$(call 200 POST "/acts/$ID/mismatch" "${SC[@]}" -H 'Content-Type: application/json' \
    -d '{"text": "Прислали коленвал от другой модели", "reason": "wrong_part"}' | json status)" part_mismatch
  SHIPMENT=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "1234567891", "actIds": ["'"$ID"'"]}' | json id)
  call 200 POST "/shipments/$SHIPMENT/delivered" "${M[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
}

step_repaired() {
  local act
  act=$(call 200 POST "/acts/$ID/repaired" "${SC[@]}")
  check 'the status after the repair' "$(json status <<<"$act")" closed
  check 'the resolution' "$(json resolution <<<"$act")" repaired
}

step_settlement() {
  # Own parts are compensated in settlements: every act closed repaired up to a (Moscow) date, each
  # act once. The SC sees its own lines; the CSV is the compensation report's.
  local today settlement
  today=$(node -p 'new Date(Date.now() + 3 * 3600000).toISOString().slice(0, 10)')
  settlement=$(call 201 POST /compensation-settlements "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"closedTo": "'"$today"'", "serviceCenterId": "'"$SC_ID"'"}')
  check 'the amount settled' "$(json amount <<<"$settlement")" 301.00
  call 200 GET "/compensation-settlements/$(json id <<<"$settlement")" "${SC[@]}" -H 'Accept: text/csv'
  # Settling again finds nothing left (422); the act shows its settlement.
  call 422 POST /compensation-settlements "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"closedTo": "'"$today"'", "serviceCenterId": "'"$SC_ID"'"}' >/dev/null
  check 'the act settled' "$(call 200 GET "/acts/$ID" "${SC[@]}" | json settlementId)" "$(json id <<<"$settlement")"
}

step_pre_sale() {
  # A pre-sale product (new, never sold, failed in the retailer's stock): no customer, no warranty
  # card or receipt; nameplate, breakage and part photos. It is first in the review queue.
  local act kind
  act=$(call 201 POST /acts "${SC[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' -d '{
    "product": {"categoryId": "'"$CATEGORY"'", "model": "Газонокосилка ГК-46", "serialNumber": "БН",
      "complaint": "Не заводится из коробки", "condition": "pre_sale", "saleDate": "'"$(days_ago 20)"'",
      "acceptedDate": "'"$(days_ago 2)"'", "completeness": "full", "hasWarrantyCard": false},
    "diagnosis": {"mechanic": "Иванов Иван", "result": "Заводской брак катушки зажигания", "conclusion": "Гарантия", "warrantyCase": true},
    "parts": [{"name": "Катушка зажигания", "quantity": 1}, {"name": "Шланг топливный", "quantity": 0.5, "unit": "m"}],
    "extra": {"sellerOrganization": "ООО «Садовод»", "complexity": 1, "productState": "returned_to_seller"}}' | json id)
  for kind in nameplate breakage part; do
    printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00%s pre %s\xff\xd9' "$kind" "$RUN" >"$TMP/pre-$kind.jpg"
    call 201 POST "/acts/$act/photos" "${SC[@]}" -F kind=$kind -F "file=@$TMP/pre-$kind.jpg;type=image/jpeg" >/dev/null
  done
  check 'the pre-sale act after submit' "$(call 200 POST "/acts/$act/submit" "${SC[@]}" | json status)" submitted
  check 'the serial number «БН»' "$(call 200 GET "/acts/$act" "${SC[@]}" | json product.serialNumberText)" 'Б/Н'
  check 'first in the review queue' "$(call 200 GET /acts "${M[@]}" -G --data-urlencode sort=review | json items.0.preSale)" true
  PRE_SALE=$act
}

step_failed_repair() {
  # The parts came, but the repair failed: any SC comment on a delivered act stops the automatic
  # "repaired" and puts the act in front of a manager, who closes it as not_repaired (never compensated).
  local shipment act
  call 200 POST "/acts/$PRE_SALE/decision" "${M[@]}" -H 'Content-Type: application/json' -d '{"decision": "warranty", "urgent": true}' >/dev/null
  shipment=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "Почта России", "trackingNumber": "RA123456789RU", "actIds": ["'"$PRE_SALE"'"]}' | json id)
  call 200 POST "/shipments/$shipment/delivered" "${SC[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
  call 201 POST "/acts/$PRE_SALE/comments" "${SC[@]}" -H 'Content-Type: application/json' \
    -d '{"text": "После замены катушки вышел из строя карбюратор, ремонт невозможен"}' >/dev/null
  act=$(call 200 GET "/acts/$PRE_SALE" "${M[@]}")
  check 'needs attention' "$(json needsAttention <<<"$act")" true
  check 'the mismatch deadline' "$(json mismatchDeadline <<<"$act")" null
  check 'the resolution' "$(call 200 POST "/acts/$PRE_SALE/close" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"resolution": "not_repaired", "reason": "Вышел из строя другой узел"}' | json resolutionLabel)" 'Ремонт невозможен'
}

step_reopen_and_close() {
  # A manager reopens a closed act (to submitted by default, or approved, or part_mismatch) and
  # closes an open one with a reason. A settled act keeps its settlement.
  check 'the status after reopening' "$(call 200 POST "/acts/$ID/reopen" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"reason": "Закрыт по ошибке", "to": "approved"}' | json status)" approved
  check 'the resolution after closing' "$(call 200 POST "/acts/$ID/close" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"resolution": "warranty_refused", "reason": "СЦ отказался от ремонта"}' | json resolution)" warranty_refused
}

# full_act MODEL PARTS: a complete act with its required photos, submitted; prints its JSON.
full_act() {
  local act id kind
  act=$(call 201 POST /acts "${SC[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' -d '{
    "product": {"categoryId": "'"$CATEGORY"'", "model": "'"$1"'", "serialNumber": "SN-'"$RUN"'-'"$RANDOM"'",
      "complaint": "Не запускается", "condition": "used", "saleDate": "'"$(days_ago 90)"'",
      "acceptedDate": "'"$(days_ago 2)"'", "completeness": "full", "hasWarrantyCard": true},
    "diagnosis": {"mechanic": "Иванов Иван", "result": "Износ деталей из-за заводского дефекта", "conclusion": "Нужна замена", "warrantyCase": true},
    "parts": '"$2"',
    "extra": {"customerName": "Сидоров Семён", "customerPhone": "8 914 000-00-00", "sellerOrganization": "ООО «Садовод»",
      "complexity": 2, "productState": "left_at_service_center"}}')
  id=$(json id <<<"$act")
  for kind in nameplate warranty_card breakage part; do
    printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00%s %s %s\xff\xd9' "$kind" "$id" "$RUN" >"$TMP/full-$kind.jpg"
    call 201 POST "/acts/$id/photos" "${SC[@]}" -F kind=$kind -F "file=@$TMP/full-$kind.jpg;type=image/jpeg" >/dev/null
  done
  call 200 POST "/acts/$id/submit" "${SC[@]}"
}

step_partial_parcels() {
  # Parts leave on the weekly dispatch day (DISPATCH_DAYS, DISPATCH_CUTOFF Moscow time; pre-sale
  # and urgent acts on the next business day): approval sets expectedDispatchDate, which the
  # approval e-mail names. GET /dispatch is what to pack: acts by service center and the pick list.
  local act id crankshaft hose first second
  id=$(full_act "Мотоблок МБ-9" '[{"name": "Коленвал", "diagramNumber": "14", "quantity": 1},
    {"name": "Шланг топливный", "quantity": 0.5, "unit": "m"}]' | json id)
  act=$(call 200 POST "/acts/$id/decision" "${M[@]}" -H 'Content-Type: application/json' -d '{"decision": "warranty"}')
  node -e 'if (!/^\d{4}-\d{2}-\d{2}$/.test(process.argv[1])) process.exit(1)' "$(json expectedDispatchDate <<<"$act")"
  crankshaft=$(json parts.0.id <<<"$act")
  hose=$(json parts.1.id <<<"$act")
  call 200 GET /dispatch "${M[@]}" >/dev/null
  call 200 GET /dispatch "${M[@]}" -H 'Accept: text/csv' # the pick list, as a spreadsheet
  # The hose is out of stock: the crankshaft may go first only with the SC's consent.
  call 409 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "P-'"$RUN"'-1", "items": [{"actId": "'"$id"'", "partIds": ["'"$crankshaft"'"]}]}' >/dev/null
  check 'the consent' "$(call 200 POST "/acts/$id/partial-consent" "${SC[@]}" -H 'Content-Type: application/json' \
    -d '{"consent": true}' | json partialConsent)" true
  first=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "P-'"$RUN"'-1", "items": [{"actId": "'"$id"'", "partIds": ["'"$crankshaft"'"]}]}' | json id)
  check 'the parts pending' "$(call 200 GET "/acts/$id" "${SC[@]}" | json pendingParts)" "[\"$hose\"]"
  # The rest follows in a later parcel (partIds omitted: everything still to ship).
  second=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "P-'"$RUN"'-2", "items": [{"actId": "'"$id"'"}]}' | json id)
  # Delivered in any order; parts_delivered once every parcel has come, the mismatch window from the last.
  call 200 POST "/shipments/$second/delivered" "${SC[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
  check 'the status with a parcel on its way' "$(call 200 GET "/acts/$id" "${SC[@]}" | json status)" parts_shipped
  call 200 POST "/shipments/$first/delivered" "${M[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
  check 'the status with both parcels in' "$(call 200 GET "/acts/$id" "${SC[@]}" | json status)" parts_delivered
  # Parcels shipped more than DELIVERY_FOLLOW_UP ago and not delivered (the SC is e-mailed once to confirm).
  call 200 GET /shipments "${M[@]}" -G --data-urlencode undelivered=true >/dev/null
}

step_paid_order() {
  # A paid order: the manager prices the parts that will ship, the SC pays with the act number as the
  # payment reference, and the parts ship only once the payment is recorded.
  local act id number crankshaft hose invoice first
  act=$(full_act "Генератор ЭГ-3000" '[{"name": "Коленвал", "diagramNumber": "14", "quantity": 1},
    {"name": "Шланг топливный", "quantity": 1.5, "unit": "m"}]')
  id=$(json id <<<"$act")
  number=$(json number <<<"$act")
  check 'the kind' "$(call 200 POST "/acts/$id/decision" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"decision": "paid"}' | json kind)" paid
  crankshaft=$(json parts.0.id <<<"$act")
  hose=$(json parts.1.id <<<"$act")
  call 409 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "PAID-'"$RUN"'", "actIds": ["'"$id"'"]}' >/dev/null # payment-required
  invoice=$(call 201 POST "/acts/$id/invoice" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"lines": [{"partId": "'"$crankshaft"'", "unitPrice": "4999.99"}, {"partId": "'"$hose"'", "unitPrice": "120.00"}]}')
  check 'the payment reference' "$(json paymentReference <<<"$invoice")" "$number"
  check 'the amount' "$(json amount <<<"$invoice")" 5179.99
  # Issued again while unpaid: replaced (the SC is e-mailed the amount and the reference each time).
  check 'the new amount' "$(call 201 POST "/acts/$id/invoice" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"lines": [{"partId": "'"$crankshaft"'", "unitPrice": "4500.00"}, {"partId": "'"$hose"'", "unitPrice": "120.00"}]}' | json amount)" 4680.00
  call 422 POST "/acts/$id/payment" "${M[@]}" -H 'Content-Type: application/json' -d '{"amount": "5179.99"}' >/dev/null
  call 200 POST "/acts/$id/payment" "${M[@]}" -H 'Content-Type: application/json' -d '{"amount": "4680.00"}' | json invoice.paidAt
  echo
  first=$(call 201 POST /shipments "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"carrier": "СДЭК", "trackingNumber": "PAID-'"$RUN"'", "actIds": ["'"$id"'"]}' | json id)
  call 200 POST "/shipments/$first/delivered" "${SC[@]}" -H 'Content-Type: application/json' -d '{}' >/dev/null
  check 'the resolution' "$(call 200 POST "/acts/$id/repaired" "${SC[@]}" | json resolution)" repaired
}

step_integrity() {
  # Integrity flags, for managers only: the same model and serial number on another act of any SC
  # (24 months; «Б/Н» never matches), a photo with the same SHA-256 on another act, a sale date
  # older than the category's warranty term (warrantyMonths, 12 by default; never for pre-sale).
  local category act ids=()
  category=$(call 201 POST /product-categories "${M[@]}" -H 'Content-Type: application/json' -d '{"name": "Мотопомпа '"$RUN"'"}' | json id)
  check 'the warranty term' "$(call 200 PATCH "/product-categories/$category" "${M[@]}" -H 'Content-Type: application/json' \
    -d '{"warrantyMonths": 24}' | json warrantyMonths)" 24
  for _ in 1 2; do
    act=$(call 201 POST /acts "${SC[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' -d '{"product": {
      "categoryId": "'"$category"'", "model": "Мотопомпа МП-80", "serialNumber": "MP-80.'"$RUN"'", "complaint": "Не качает",
      "condition": "used", "saleDate": "'"$(days_ago 800)"'", "acceptedDate": "'"$(days_ago 3)"'",
      "completeness": "full", "hasWarrantyCard": true},
      "diagnosis": {"mechanic": "Иванов Иван", "result": "Износ крыльчатки", "conclusion": "Гарантия", "warrantyCase": true},
      "parts": [{"name": "Крыльчатка", "quantity": 1}],
      "extra": {"customerName": "Петров Пётр", "customerPhone": "8 916 123-45-67", "sellerOrganization": "ООО «Садовод»",
        "complexity": 1, "productState": "left_at_service_center"}}' | json id)
    call 200 POST "/acts/$act/submit" "${SC[@]}" >/dev/null
    ids+=("$act")
  done
  # → "flags": [{"type": "duplicate_serial", "actIds": ["<the first act>"]},
  #             {"type": "out_of_warranty", "warrantyMonths": 24, "warrantyEnd": "…"}]
  act=$(call 200 GET "/acts/${ids[1]}" "${M[@]}")
  check 'the duplicate' "$(json flags.0.actIds.0 <<<"$act")" "${ids[0]}"
  check 'out of warranty' "$(json flags.1.type <<<"$act")" out_of_warranty
  check 'flags for the SC' "$(call 200 GET "/acts/${ids[1]}" "${SC[@]}" | node -p '"flags" in JSON.parse(fs.readFileSync(0, "utf8"))')" false
  # Managers filter by them: flagged=true, or flag=<type> (repeatable).
  check 'the flagged acts' "$(call 200 GET /acts "${M[@]}" -G --data-urlencode flag=out_of_warranty --data-urlencode "serviceCenterId=$SC_ID" |
    json items.length)" 2
  # Which categories, models, parts, reasons or service centers fail, and how their claims end
  # (acts closed in the period, Moscow days): JSON or CSV.
  call 200 GET /reports/quality "${M[@]}" -G --data-urlencode "from=$(days_ago 30)" --data-urlencode "to=$(days_ago 0)" \
    --data-urlencode groupBy=part >/dev/null
  call 200 GET /reports/quality "${M[@]}" -H 'Accept: text/csv' -G --data-urlencode "from=$(days_ago 30)" \
    --data-urlencode "to=$(days_ago 0)" --data-urlencode groupBy=serviceCenter
}

STEPS=(
  manager_key health service_center categories revoke_key idempotent_retry
  file_act submit photos webhooks conversation lists withdraw_draft
  review ship deliver mismatch_and_reship repaired settlement reopen_and_close
  pre_sale failed_repair partial_parcels paid_order integrity
)
for STEP in "${STEPS[@]}"; do
  echo "== $STEP"
  "step_$STEP"
done
echo "tour: all ${#STEPS[@]} steps passed"
