#!/usr/bin/env bash
# scenario_resource_props.sh — clusctl's property commands against real clussvc nodes.
#
# Three nodes, a group and an IP Address resource. resource show and get (text and --json) give
# the type, the common and the private properties; resource set sends common properties typed as
# DWORDs and private ones as the resource has them, and a second node reads the new values;
# refusals (an unknown property, RestartAction=7, a read-only property, an ill-typed value) exit
# 1 with the Win32 code and the cluster's reason, and change nothing. resource type show lists
# the type's parameters; group set|get reach the group's failover policy; resource create types
# --prop by the type's parameters, and a KEY given twice is a list.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_clussvc
lab_init 3
for i in 1 2 3; do lab_start_node "$i" || lab_fail "n$i did not start"; done
lab_create propclu --node n1 --node n2 --node n3 >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create failed: $(tail -n 1 "$LAB_DIR/create.out")"
IP=$(lab_cluster_ip 5)

ctl() { lab_clusctl -c n1 "$@"; }
# refused LABEL WHAT ARGS... — exit 1, WHAT on stderr, nothing on stdout, the database unchanged
refused() {
    local label=$1 what=$2 rc=0 before
    shift 2
    before=$(lab_db_snapshot "1 2 3")
    ctl "$@" >"$LAB_DIR/bad.out" 2>"$LAB_DIR/bad.err" || rc=$?
    cat "$LAB_DIR/bad.err"
    lab_assert -m "$label: exit 1 (got $rc)" test "$rc" = 1
    lab_assert -m "$label: stderr names $what" grep -qF -- "$what" "$LAB_DIR/bad.err"
    lab_assert -m "$label: nothing on stdout" test ! -s "$LAB_DIR/bad.out"
    lab_assert -m "$label: nothing committed" test "$(lab_db_snapshot "1 2 3")" = "$before"
}
is() { # LABEL EXPECTED ARGS... — clusctl's stdout is EXPECTED
    local label=$1 expected=$2 out
    shift 2
    out=$(ctl "$@") || lab_fail "$label: clusctl $* failed"
    lab_assert -m "$label: '$out' = '$expected'" test "$out" = "$expected"
}

lab_assert -m "group create" ctl group create web
lab_assert -m "resource create" ctl resource create web-ip --group web --type "IP Address" \
    --prop "Address=$IP" --prop SubnetMask=255.255.255.0

# --- show and get ---------------------------------------------------------------------------
out=$(ctl resource show web-ip)
printf '%s\n' "$out"
lab_assert -m "show: the type" grep -q '^Type: *IP Address$' <<<"$out"
lab_assert -m "show: a common property" grep -q '^  RestartAction *2$' <<<"$out"
lab_assert -m "show: a private property" grep -q "^  Address *$IP\$" <<<"$out"
json=$(ctl --json resource show web-ip)
lab_assert -m "show --json: type" grep -qF '"type":"IP Address"' <<<"$json"
lab_assert -m "show --json: DWORD as a number" grep -qF '"RestartAction":2,' <<<"$json"
lab_assert -m "show --json: private" grep -qF "\"private\":{\"Address\":\"$IP\"" <<<"$json"
json=$(ctl --json resource get web-ip)
lab_assert -m "get --json: common and private" \
    grep -qE '^\{"ok":true,"action":"get","resource":"web-ip","common":\{.*"PendingTimeout":180000.*\},"private":\{.*"SubnetMask":"255.255.255.0".*\}\}$' <<<"$json"
is "get one common" 3 resource get web-ip RestartThreshold
is "get one private" "$IP" resource get web-ip Address
is "get a read-only one" "IP Address" resource get web-ip Type
is "get --json one" '{"ok":true,"action":"get","resource":"web-ip","property":"RestartDelay","syntax":"DWORD","value":500}' \
    --json resource get web-ip RestartDelay
refused "get an unknown property" ERROR_NOT_FOUND resource get web-ip NoSuchProperty

# --- set ------------------------------------------------------------------------------------
out=$(ctl resource set web-ip RestartAction=1 RestartThreshold=5 SubnetMask=255.255.0.0 \
    Description="web address")
printf '%s\n' "$out"
lab_assert -m "set: reports each" test "$(grep -c '^Set ' <<<"$out")" = 4
for i in 2 3; do
    v=$(lab_clusctl -c "n$i" resource get web-ip RestartThreshold)
    lab_assert -m "set: n$i reads RestartThreshold 5 (got $v)" test "$v" = 5
    v=$(lab_clusctl -c "n$i" resource get web-ip SubnetMask)
    lab_assert -m "set: n$i reads the private SubnetMask (got $v)" test "$v" = 255.255.0.0
done
is "set: a string with a blank" "web address" resource get web-ip Description
is "set --json" '{"ok":true,"action":"set","resource":"web-ip","common":{"PendingTimeout":60000},"private":{}}' \
    --json resource set web-ip PendingTimeout=60000
refused "RestartAction=7" "RestartAction: 7 is not in 0..2" resource set web-ip RestartAction=7
refused "an unknown property" "'NoSuchProperty' is not a property" \
    resource set web-ip NoSuchProperty=1
refused "a read-only property" "Type is read-only" resource set web-ip Type=Foo
refused "an ill-typed DWORD" "RestartAction: 'abc' is not a DWORD" \
    resource set web-ip RestartAction=abc
refused "a refused common leaves the private" ERROR_INVALID_PARAMETER \
    resource set web-ip SubnetMask=255.0.0.0 RestartAction=9
is "nothing of the refused set" 255.255.0.0 resource get web-ip SubnetMask
refused "a resource that does not exist" ERROR_RESOURCE_NOT_FOUND resource set nothere A=1
rc=0
ctl resource set web-ip 2>/dev/null || rc=$?
lab_assert -m "set without KEY=VALUE is a usage error (got $rc)" test "$rc" = 2

# --- type show ------------------------------------------------------------------------------
out=$(ctl resource type show "IP Address")
printf '%s\n' "$out"
lab_assert -m "type show: Address is required" grep -qE '^  Address +SZ +yes ' <<<"$out"
lab_assert -m "type show: PrefixLength is a DWORD" grep -qE '^  PrefixLength +DWORD +no ' <<<"$out"
lab_assert -m "type show: common properties" grep -qE '^  LooksAlivePollInterval +[0-9]+$' <<<"$out"
json=$(ctl --json resource type show "IP Address")
lab_assert -m "type show --json" grep -qF '{"name":"Address","syntax":"SZ","required":true,' <<<"$json"
refused "type show of an unknown type" ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND \
    resource type show "No Such Type"

# --- groups ---------------------------------------------------------------------------------
is "group get" 4294967295 group get web FailoverThreshold
lab_assert -m "group set" ctl group set web FailoverThreshold=3 FailoverPeriod=2 \
    AutoFailbackType=1 FailbackWindowStart=2 FailbackWindowEnd=4
json=$(lab_clusctl -c n3 --json group get web)
printf '%s\n' "$json"
for kv in '"FailoverThreshold":3' '"FailoverPeriod":2' '"AutoFailbackType":1' \
    '"FailbackWindowStart":2' '"FailbackWindowEnd":4'; do
    lab_assert -m "group get --json on n3: $kv" grep -qF "$kv" <<<"$json"
done
refused "group: AutoFailbackType=9" "AutoFailbackType: 9 is not in 0..1" \
    group set web AutoFailbackType=9
refused "group: an unknown property" "'NoSuch' is not a common property" group set web NoSuch=1
refused "group: a read-only property" ERROR_INVALID_PARAMETER group set web Name=other

# --- create typed by the type's parameters ---------------------------------------------------
refused "create: PrefixLength is a DWORD" "PrefixLength: 'wide' is not a DWORD" \
    resource create ip2 --group web --type "IP Address" --prop "Address=$(lab_cluster_ip 6)" \
    --prop PrefixLength=wide
lab_assert -m "create with a DWORD parameter" ctl resource create ip2 --group web \
    --type "IP Address" --prop "Address=$(lab_cluster_ip 6)" --prop PrefixLength=24
is "create: PrefixLength stored as a DWORD" \
    '{"ok":true,"action":"get","resource":"ip2","property":"PrefixLength","syntax":"DWORD","value":24}' \
    --json resource get ip2 PrefixLength
lab_assert -m "create with a list" ctl resource create app --group web \
    --type "Generic Application" --prop "CommandLine=/bin/sleep 1000" --prop Environment=A=1 \
    --prop Environment=B=2
v=$(ctl --json resource get app Environment)
lab_assert -m "a KEY twice is a MULTI_SZ ($v)" grep -qF '"syntax":"MULTI_SZ","value":["A=1","B=2"]' <<<"$v"
lab_assert -m "set keeps a list's syntax" ctl resource set app Environment=C=3
v=$(ctl --json resource get app Environment)
lab_assert -m "one value of a list stays a list ($v)" grep -qF '"value":["C=3"]' <<<"$v"
lab_pass "resource properties"
