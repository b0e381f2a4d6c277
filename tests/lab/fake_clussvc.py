#!/usr/bin/python3
"""Stand-in for clussvc, for testing the lab harness itself (selftest.sh).

Takes clussvc's command line, listens on --listen/--port (TCP), accepts and closes
connections, never writes to --state-dir, and exits 0 on SIGTERM.
"""
import argparse
import signal
import socket
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", required=True)
    p.add_argument("--port", type=int, default=3343)
    p.add_argument("--ignore-term", action="store_true",
                   help="ignore SIGTERM (to test the harness's SIGKILL fallback)")
    args, _ = p.parse_known_args()

    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    family = socket.AF_INET6 if ":" in args.listen else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.listen, args.port))
    srv.listen(16)
    print(f"fake clussvc listening on {args.listen}:{args.port}", flush=True)
    while True:
        conn, _ = srv.accept()
        conn.close()


if __name__ == "__main__":
    main()
