"""tgtd instances of a run's own: loopback port, control socket index, targets with one LUN each."""
import itertools
import os
import resource
import socket
import subprocess
import time

_INDEX = itertools.count(40 + os.getpid() % 40 * 10)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def raise_nofile():
    """Soft open-file limit up to the hard one (tgtd needs one descriptor per connection); returns both."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class Tgtd:
    """tgtd -f on 127.0.0.1:<free port>; targets are added with add_target and removed by close()."""

    def __init__(self, work, name="tgtd"):
        self.port = free_port()
        self.index = next(_INDEX)
        self.sock = os.path.join(work, f"{name}-ctl")
        self.env = dict(os.environ, TGT_IPC_SOCKET=self.sock)
        self.log = open(os.path.join(work, f"{name}.log"), "w")
        self.tids = []
        self.files = []
        self.proc = subprocess.Popen(["tgtd", "-f", "-C", str(self.index), "--iscsi", f"portal=127.0.0.1:{self.port}"],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=self.env, preexec_fn=raise_nofile)
        self.pid = self.proc.pid
        deadline = time.time() + 10
        while True:
            r = subprocess.run(["tgtadm", "-C", str(self.index), "--op", "show", "--mode", "sys"], env=self.env,
                               capture_output=True, text=True, timeout=10)
            if r.returncode == 0:
                break
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"tgtd on 127.0.0.1:{self.port} did not start; see {self.log.name}")
            time.sleep(0.1)

    def adm(self, *args):
        r = subprocess.run(["tgtadm", "-C", str(self.index), "--lld", "iscsi", *args], env=self.env,
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise SystemExit(f"tgtadm on 127.0.0.1:{self.port} {' '.join(args)} failed: {r.stdout}{r.stderr}")
        return r.stdout

    def add_target(self, iqn, backing="null", size=1 << 30):
        """A target with LUN 1: tgtd's null store (reads zeros, discards writes) or rdwr on a sparse file in
        /dev/shm of `size` bytes."""
        tid = len(self.tids) + 1
        self.adm("--op", "new", "--mode", "target", "--tid", str(tid), "-T", iqn)
        if backing == "rdwr":
            base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else os.path.dirname(self.sock)
            path = os.path.join(base, f"kiscsi-{os.getpid()}-{self.index}-{tid}.img")
            with open(path, "wb") as f:
                f.truncate(size)
            self.files.append(path)
        else:
            path = f"/dev/null/kiscsi-{tid}"  # only a label for the null store
        self.adm("--op", "new", "--mode", "logicalunit", "--tid", str(tid), "--lun", "1", "--bstype", backing, "-b", path)
        self.adm("--op", "bind", "--mode", "target", "--tid", str(tid), "-I", "ALL")
        self.tids.append(tid)
        return tid

    def connections(self):
        """Open TCP connections to the portal (from /proc/PID/fd: sockets)."""
        n = 0
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                if os.readlink(f"/proc/{self.pid}/fd/{fd}").startswith("socket:"):
                    n += 1
            except OSError:
                pass
        return n

    def close(self):
        """As tgt.service stops it (tgtd ignores SIGTERM): offline, targets deleted, system deleted."""
        try:
            self.adm("--op", "update", "--mode", "sys", "--name", "State", "-v", "offline")
            for tid in self.tids:
                self.adm("--op", "delete", "--mode", "target", "--tid", str(tid), "--force")
            subprocess.run(["tgtadm", "-C", str(self.index), "--op", "delete", "--mode", "system"], env=self.env,
                           capture_output=True, timeout=30)
            self.proc.wait(10)
        except (Exception, SystemExit):
            self.proc.kill()
            self.proc.wait(10)
        for f in self.files:
            if os.path.exists(f):
                os.remove(f)
        self.log.close()
