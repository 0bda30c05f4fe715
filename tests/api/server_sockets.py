# server_sockets.py -- what the kernel says about a test server's connections, as a signal
# to wait for instead of a fixed sleep: how many connections on its port the server
# process has accepted and read everything from (receive queue empty).

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


def read_connections(pid, port):
    """Established connections to `port` that process `pid` holds (has accepted) and has
    read all that has arrived on: on loopback a client's send lands in that queue at once,
    so a request sent before this is called has been read by the server."""
    mine = _socket_inodes(pid)
    count = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            state, rx_queue, inode = fields[3], int(fields[4].split(":")[1], 16), fields[9]
            if local_port == port and state == "01" and rx_queue == 0 and inode in mine:
                count += 1
    return count
