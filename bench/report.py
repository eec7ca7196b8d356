#!/usr/bin/env python3
"""Summarises qayd-bench results (medians of runs) and draws the scaling plot.

    bench/report.py RESULTS_DIR

Reads RESULTS_DIR/run-<N>-<k>.json, build-<N>.json, baseline-<N>.json,
batch-<k>.json; writes RESULTS_DIR/summary.json and RESULTS_DIR/throughput.svg
(throughput and resident memory against register size). Standard library only.
"""
import glob
import json
import math
import os
import re
import statistics
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(d):
    runs = {}
    for p in glob.glob(os.path.join(d, "run-*-*.json")):
        n = int(re.search(r"run-(\d+)-\d+\.json$", p).group(1))
        runs.setdefault(n, []).append(load(p))
    sizes = []
    for n in sorted(runs):
        rs = runs[n]
        row = {
            "register": n,
            "runs": len(rs),
            "startup_s": med([r["startup"]["seconds"] for r in rs]),
            "startup_cpu_s": med([r["startup"].get("cpu_s") for r in rs]),
            "startup_rss_mib": med([r["startup"]["memory"]["rss_mib"] for r in rs]),
            "ingest_reports": rs[0]["ingest"]["reports"],
            "reports_per_s": med([r["ingest"]["reports_per_s"] for r in rs]),
            "process_cpu_s": med([r["ingest"].get("process_cpu_s") for r in rs]),
            "peak_rss_mib": med([r["ingest"]["memory"]["peak_mib"] for r in rs]),
            "match_p50_us": med([r["match"]["latency_us"]["p50"] for r in rs]),
            "match_p99_us": med([r["match"]["latency_us"]["p99"] for r in rs]),
            "batch_p99_us": med([r["ingest"]["batch_latency_per_report_us"]["p99"] for r in rs]),
            "precision": med([r["accuracy"]["precision"] for r in rs]),
            "recall": med([r["accuracy"]["recall"] for r in rs]),
            "review": med([r["accuracy"]["review"] for r in rs]),
        }
        if row["process_cpu_s"]:
            row["reports_per_cpu_s"] = row["ingest_reports"] / row["process_cpu_s"]
        b = os.path.join(d, f"build-{n}.json")
        if os.path.exists(b):
            row["build"] = load(b)
        bl = os.path.join(d, f"baseline-{n}.json")
        if os.path.exists(bl):
            base = load(bl)
            row["baseline"] = base
            if base.get("reports_per_s"):
                row["ratio_to_baseline"] = row["reports_per_s"] / base["reports_per_s"]
        sizes.append(row)
    batches = [load(p) for p in sorted(glob.glob(os.path.join(d, "batch-*.json")))]
    summary = {"sizes": sizes}
    if batches:
        summary["batch"] = {
            "reports": batches[0]["reports"],
            "runs": len(batches),
            "seconds": med([b["seconds"] for b in batches]),
            "precision": med([b["accuracy"]["precision"] for b in batches]),
            "recall": med([b["accuracy"]["recall"] for b in batches]),
        }
    return summary


def svg(summary, path):
    rows = [r for r in summary["sizes"] if r["reports_per_s"]]
    if not rows:
        return
    w, h, left, right, top, bottom = 640, 400, 70, 70, 40, 50
    xs = [math.log10(r["register"]) for r in rows]
    x0, x1 = min(xs) - 0.2, max(xs) + 0.2
    ymax = max(r["reports_per_s"] for r in rows) * 1.2
    mmax = max(r["peak_rss_mib"] for r in rows) * 1.2
    px = lambda x: left + (x - x0) / (x1 - x0) * (w - left - right)
    py = lambda y, top_value: h - bottom - y / top_value * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w/2}" y="20" text-anchor="middle" font-size="14">'
           'qayd ingest throughput and memory against register size</text>',
           f'<line x1="{left}" y1="{h-bottom}" x2="{w-right}" y2="{h-bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h-bottom}" stroke="black"/>',
           f'<line x1="{w-right}" y1="{top}" x2="{w-right}" y2="{h-bottom}" stroke="black"/>']
    for r, x in zip(rows, xs):
        out.append(f'<text x="{px(x)}" y="{h-bottom+18}" text-anchor="middle">{r["register"]:,}</text>')
    out.append(f'<text x="{w/2}" y="{h-8}" text-anchor="middle">victims in the register (log scale)</text>')
    for i in range(5):
        yv, mv = ymax * i / 4, mmax * i / 4
        out.append(f'<text x="{left-6}" y="{py(yv, ymax)+4}" text-anchor="end" fill="#1f5fa8">{yv:,.0f}</text>')
        out.append(f'<text x="{w-right+6}" y="{py(mv, mmax)+4}" fill="#b0431b">{mv:,.0f}</text>')
    out.append(f'<text x="14" y="{h/2}" transform="rotate(-90 14 {h/2})" text-anchor="middle" '
               'fill="#1f5fa8">reports/s (median)</text>')
    out.append(f'<text x="{w-10}" y="{h/2}" transform="rotate(90 {w-10} {h/2})" text-anchor="middle" '
               'fill="#b0431b">peak RSS MiB</text>')
    for key, top_value, colour in (("reports_per_s", ymax, "#1f5fa8"), ("peak_rss_mib", mmax, "#b0431b")):
        pts = " ".join(f"{px(x):.1f},{py(r[key], top_value):.1f}" for r, x in zip(rows, xs))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for r, x in zip(rows, xs):
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(r[key], top_value):.1f}" r="4" fill="{colour}"/>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    d = sys.argv[1]
    summary = summarise(d)
    with open(os.path.join(d, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    svg(summary, os.path.join(d, "throughput.svg"))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
