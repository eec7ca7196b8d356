#!/usr/bin/env python3
"""Times the product's own bulk paths (docs/PERFORMANCE.md, issue 24).

  product.py ingest --qayd BIN --db DB --input FILE [--decisions OUT]
      `qayd ingest` as a user runs it: start-up (open, load the index) and
      the whole file through the pipeline. Prints one JSON object.

  product.py daemon --qaydd BIN --qayd BIN --db DB --workdir DIR
                    [--api-input FILE] [--spool-input FILE]
      A running qaydd on DB: its start-up until "qaydd ready", then one
      partner batch (POST /api/v1/reports with every record of --api-input)
      and one spool file (--spool-input dropped into its spool folder, timed
      until "spool file processed"). Prints one JSON object.

Every figure is wall time; peak RSS is the process's VmHWM (ru_maxrss for
`qayd ingest`); the machine's load average is recorded before and after.
"""
import argparse
import http.client
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def db_location(db):
    if db.startswith("postgres"):
        return {"postgres": db}
    return {"sqlite_path": os.path.abspath(db)}


def cmd_ingest(a):
    args = [a.qayd, "ingest", "--db", a.db]
    if a.decisions:
        args += ["--decisions", a.decisions]
    args.append(a.input)
    load_before = load()
    t0 = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode != 0:
        sys.exit("qayd ingest failed: " + p.stderr[-2000:])
    m = re.search(r"ingested (\d+) records in ([0-9.e+-]+) s \(cpu ([0-9.e+-]+) s\):(.*)", p.stderr)
    if not m:
        sys.exit("no summary from qayd ingest: " + p.stderr[-2000:])
    reports, process_s, cpu_s = int(m.group(1)), float(m.group(2)), float(m.group(3))
    decisions = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", m.group(4)))
    print(json.dumps({
        "path": "qayd ingest", "reports": reports, "wall_s": round(wall, 3),
        "process_s": round(process_s, 3), "startup_s": round(wall - process_s, 3),
        # CPU-seconds of all its threads while processing, and how many CPUs
        # that kept busy on average.
        "process_cpu_s": round(cpu_s, 3),
        "cpus_busy": round(cpu_s / process_s, 2) if process_s > 0 else 0,
        "reports_per_s": round(reports / process_s, 1) if process_s > 0 else 0,
        "reports_per_s_with_startup": round(reports / wall, 1) if wall > 0 else 0,
        "peak_rss_mib": peak_kib // 1024, "decisions": decisions,
        "load_before": load_before, "load_after": load()}))


class Daemon:
    """qaydd as a child process; its stderr is collected by a thread."""

    def __init__(self, qaydd, config_path):
        self.log = []
        self.cv = threading.Condition()
        self.p = subprocess.Popen([qaydd, "--config", config_path], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stderr:
            with self.cv:
                self.log.append(line)
                self.cv.notify_all()

    def wait_for(self, pattern, timeout, start=0):
        """Index of the first log line from `start` on matching `pattern`."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cv:
            i = start
            while True:
                while i < len(self.log):
                    if rx.search(self.log[i]):
                        return i, self.log[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or self.p.poll() is not None:
                    sys.exit("qaydd: no %r; log:\n%s" % (pattern, "".join(self.log[-40:])))
                self.cv.wait(left)

    def peak_mib(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
        return 0

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(timeout=300)


def cmd_daemon(a):
    os.makedirs(a.workdir, exist_ok=True)
    spool = os.path.join(a.workdir, "spool")
    os.makedirs(spool, exist_ok=True)
    token = subprocess.run([a.qayd, "token", "add", "bench", "--scope", "submit", "--db", a.db],
                           check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    config = {
        "store": db_location(a.db),
        "http": {"listen": "127.0.0.1", "port": 0, "max_body_bytes": 1 << 30},
        "submissions": {"enabled": True, "spool_dir": spool, "spool_scan_interval_s": 1,
                        "max_batch_records": 1000000},
        "logging": {"level": "info"},
        "daemon": {"drain_timeout_s": 300},
    }
    config_path = os.path.join(a.workdir, "qayd.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    out = {"path": "qaydd", "load_before": load()}
    t0 = time.monotonic()
    d = Daemon(a.qaydd, config_path)
    try:
        at, _ = d.wait_for(r"qaydd ready", 600)
        out["startup_s"] = round(time.monotonic() - t0, 3)
        _, line = d.wait_for(r"http listening", 10)
        port = int(re.search(r'port="?(\d+)', line).group(1))
        if a.api_input:
            with open(a.api_input, "rb") as f:
                records = [r for r in f.read().split(b"\n") if r.strip()]
            body = b'{"records":[' + b",".join(records) + b"]}"
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
            t = time.monotonic()
            conn.request("POST", "/api/v1/reports", body,
                         {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            resp = conn.getresponse()
            answer = resp.read()
            secs = time.monotonic() - t
            if resp.status != 200:
                sys.exit("partner batch: HTTP %d %s" % (resp.status, answer[:300]))
            outcomes = json.loads(answer)["outcomes"]
            decisions = {}
            for o in outcomes:
                decisions[o["decision"]] = decisions.get(o["decision"], 0) + 1
            out["api"] = {"reports": len(records), "seconds": round(secs, 3),
                          "reports_per_s": round(len(records) / secs, 1), "decisions": decisions}
        if a.spool_input:
            n = count_lines(a.spool_input)
            tmp = os.path.join(spool, ".incoming.jsonl.tmp")
            shutil.copyfile(a.spool_input, tmp)
            past = time.time() - 60  # older than the settle time: taken at the next scan
            os.utime(tmp, (past, past))
            start_line = len(d.log)
            os.rename(tmp, os.path.join(spool, "incoming.jsonl"))
            # Timed from the scan taking the file (reading, parsing, the
            # pipeline) to the file moved to done/.
            picked, _ = d.wait_for(r"spool file picked up", 600, start_line)
            t = time.monotonic()
            d.wait_for(r"spool file processed", 3600, picked)
            secs = time.monotonic() - t
            with open(os.path.join(spool, "done", "incoming.jsonl.report.json")) as f:
                report = json.load(f)
            out["spool"] = {"reports": n, "seconds": round(secs, 3),
                            "reports_per_s": round(n / secs, 1) if secs > 0 else 0,
                            "counts": report.get("counts")}
        out["peak_rss_mib"] = d.peak_mib()
    finally:
        d.stop()
    out["load_after"] = load()
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("ingest")
    i.add_argument("--qayd", required=True)
    i.add_argument("--db", required=True)
    i.add_argument("--input", required=True)
    i.add_argument("--decisions")
    d = sub.add_parser("daemon")
    d.add_argument("--qaydd", required=True)
    d.add_argument("--qayd", required=True)
    d.add_argument("--db", required=True)
    d.add_argument("--workdir", required=True)
    d.add_argument("--api-input")
    d.add_argument("--spool-input")
    a = ap.parse_args()
    {"ingest": cmd_ingest, "daemon": cmd_daemon}[a.cmd](a)


if __name__ == "__main__":
    main()
