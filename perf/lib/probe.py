"""Start-up probe for the perf suites: asks a freshly launched server the suite's first question
until it answers, and prints the wall-clock time (ns, the clock of `date +%s%N`) of the answer.

    python3 probe.py MODE PORT PID LIMIT_SECONDS

MODE dns: a UDP query for www.example.com. A until a NOERROR answer with an answer record;
https: a TLS connection (certificate not checked) and GET / until an HTTP 200 status line;
ssh: a TCP connection until the server's SSH-2.0 identification line (RFC 4253 §4.2).
Exit 1 when LIMIT_SECONDS pass with no answer, 2 when process PID is gone. Loopback only; one
attempt about every millisecond.
"""
import os, socket, ssl, sys, time

mode, port, pid, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
deadline = time.monotonic() + limit
# RFC 1035 §4.1: ID 0xa70c; flags RD; QDCOUNT 1; QNAME www.example.com.; QTYPE A; QCLASS IN.
QUERY = bytes.fromhex("a70c01000001000000000000" "03777777076578616d706c6503636f6d00" "00010001")


def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", port))
    s.settimeout(0.001)
    try:
        s.send(QUERY)
        d = s.recv(4096)
        return (len(d) >= 12 and d[:2] == QUERY[:2] and d[2] & 0x80 and d[3] & 0x0F == 0
                and int.from_bytes(d[6:8], "big") >= 1)
    finally:
        s.close()


CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE


def remaining():
    # One attempt may take as long as the whole limit: a cold server's first TLS handshake can take
    # seconds, and abandoning it to retry would only start it again.
    return max(0.1, deadline - time.monotonic())


def https():
    with socket.create_connection(("127.0.0.1", port), timeout=remaining()) as raw:
        with CTX.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 200")


def ssh():
    with socket.create_connection(("127.0.0.1", port), timeout=remaining()) as s:
        return s.recv(256).startswith(b"SSH-2.0-")


ask = {"dns": dns, "https": https, "ssh": ssh}[mode]
while True:
    try:
        if ask():
            print(time.time_ns())
            sys.exit(0)
    except (OSError, ssl.SSLError):
        pass  # not listening yet (refused, reset, timed out)
    if time.monotonic() > deadline:
        sys.exit(1)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(2)
    time.sleep(0.001)
