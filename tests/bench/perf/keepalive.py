# keepalive.py -- the perf benchmark's keep-alive scenario: opens many connections
# (2,000 by default, spread over source addresses 127.0.0.2... so that no address passes
# the server's per-address cap), each sending its first request as it opens, then its
# next as soon as its last is answered, and counts the answers.
# Every request must get a 200 on a connection that stays open.

import resource
import selectors
import socket
import time

PER_ADDRESS = 200           # under serve's --max-connections-per-address default (256)


class Conn:
    def __init__(self, sock, token):
        self.sock, self.token = sock, token
        self.inbuf = b""
        self.left = 0           # requests still to send
        self.answered = 0


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, need), hard))


def open_all(port, tokens, count, per_conn):
    """Opens `count` connections, each sending its first request at once, as a browser
    does: a connection left without a request would meet the server's head deadline
    (10 s) while the rest are still being opened on a busy machine."""
    conns = []
    for i in range(count):
        source = f"127.0.0.{2 + i // PER_ADDRESS}"
        sock = socket.create_connection(("127.0.0.1", port), timeout=10,
                                        source_address=(source, 0))
        conn = Conn(sock, tokens[i % len(tokens)])
        conn.left = per_conn
        request(conn)
        sock.setblocking(False)
        conns.append(conn)
    return conns


def request(conn):
    conn.sock.sendall((f"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       f"Authorization: Bearer {conn.token}\r\n\r\n").encode())
    conn.left -= 1


def one_answer(conn):
    """(status, rest) when inbuf holds a whole answer, else None."""
    head, sep, rest = conn.inbuf.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if len(rest) < length:
        return None
    return int(lines[0].split()[1]), rest[length:]


def run(port, tokens, count=2000, per_conn=2, timeout=120.0):
    """{"connections", "requests", "answered_200", "other", "unanswered", "closed" (by
    the server), "closed_unanswered" (before its first answer), "seconds"}."""
    raise_fd_limit(count + 256)
    began = time.monotonic()
    conns = open_all(port, tokens, count, per_conn)
    sel = selectors.DefaultSelector()
    tally = {"connections": len(conns), "requests": count * per_conn, "answered_200": 0,
             "other": 0, "closed": 0, "closed_unanswered": 0}
    for conn in conns:
        sel.register(conn.sock, selectors.EVENT_READ, conn)
    pending = len(conns)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1.0):
            conn = key.data
            data = conn.sock.recv(65536)
            if not data:
                tally["closed"] += 1
                tally["closed_unanswered"] += conn.answered == 0
                sel.unregister(conn.sock)
                pending -= 1
                continue
            conn.inbuf += data
            while (got := one_answer(conn)) is not None:
                status, conn.inbuf = got
                tally["answered_200" if status == 200 else "other"] += 1
                conn.answered += 1
                if conn.left:
                    request(conn)
                elif conn.answered == per_conn:
                    sel.unregister(conn.sock)
                    pending -= 1
    tally["seconds"] = time.monotonic() - began
    tally["unanswered"] = tally["requests"] - tally["answered_200"] - tally["other"]
    for conn in conns:
        conn.sock.close()
    sel.close()
    return tally
