#!/usr/bin/env bash
# Verifies that the two ICUs in one mimamori process do not clash (see README):
#  1. lib_FoundationICU is needed before the system libicuuc, so Foundation's own symbols
#     resolve to its own copy;
#  2. at run time, with LD_DEBUG=bindings, no Foundation library binds a symbol to the
#     system libicu*, and the system ICU answers for our transliteration (`mimamori version`).
set -euo pipefail
bin=${1:?usage: check-icu-binding.sh PATH/TO/mimamori}

needed=$(readelf -d "$bin" | awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}')
foundation_line=$(grep -n '_FoundationICU' <<<"$needed" | head -n1 | cut -d: -f1 || true)
system_line=$(grep -n '^libicuuc' <<<"$needed" | head -n1 | cut -d: -f1 || true)
if [ -z "$foundation_line" ] || [ -z "$system_line" ]; then
  echo "check-icu: expected both lib_FoundationICU and libicuuc among NEEDED of $bin" >&2
  echo "$needed" >&2
  exit 1
fi
if [ "$foundation_line" -gt "$system_line" ]; then
  echo "check-icu: libicuuc is needed before lib_FoundationICU: Foundation may bind to the system ICU" >&2
  exit 1
fi

bindings=$(LD_DEBUG=bindings "$bin" version 2>&1 >/dev/null)
wrong=$(grep -E "binding file [^ ]*(libFoundation|lib_FoundationICU)[^ ]* .* to [^ ]*/libicu(uc|i18n|data)" <<<"$bindings" || true)
if [ -n "$wrong" ]; then
  echo "check-icu: Foundation binds symbols to the system ICU:" >&2
  head -n 5 <<<"$wrong" >&2
  exit 1
fi
"$bin" version | grep -q '^ICU 72\..*transforms agree' || { echo "check-icu: mimamori version does not report the system ICU 72 agreeing with Foundation" >&2; exit 1; }
echo "check-icu: ok (lib_FoundationICU precedes libicuuc; no Foundation symbol binds to the system ICU)"
