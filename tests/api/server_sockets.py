# server_sockets.py -- what the kernel says about a test server's connections, as a signal
# to wait for instead of a fixed sleep: how many connections on its port the server
# process has accepted, and how many of those it has read everything from.

import os


def _socket_inodes(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue       # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def held_connections(pid, port, read_all=False):
    """Established connections to `port` that process `pid` holds (has accepted); with
    `read_all`, only those it has read all that has arrived on (receive queue empty): on
    loopback a client's send lands in that queue at once, so a request sent before this
    is called has then been read by the server."""
    mine = _socket_inodes(pid)
    count = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            state, rx_queue, inode = fields[3], int(fields[4].split(":")[1], 16), fields[9]
            if local_port == port and state == "01" and inode in mine \
                    and not (read_all and rx_queue):
                count += 1
    return count


def read_connections(pid, port):
    """held_connections(pid, port, read_all=True)."""
    return held_connections(pid, port, read_all=True)
