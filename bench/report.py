#!/usr/bin/env python3
"""Summarises qayd-bench results (medians of runs) and draws the scaling plot.

    bench/report.py RESULTS_DIR

Reads RESULTS_DIR/product-*.json (bench/product.py: `qayd ingest`, qaydd's
partner batch and spool, on SQLite and PostgreSQL), run-<N>-<k>.json,
build-<N>.json (the driver, qayd-bench), baseline-<N>.json, batch-<k>.json and
machine*.json; writes RESULTS_DIR/summary.json, RESULTS_DIR/table.md (the
product's table with the machine's load while it ran, printed too) and
RESULTS_DIR/throughput.svg (throughput and resident memory against register
size). Standard library only.
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
    summary = {"sizes": sizes, "product": product(d)}
    for name in ("machine.json", "machine-end.json"):
        if os.path.exists(os.path.join(d, name)):
            summary.setdefault("machine", {}).update(load(os.path.join(d, name)))
    if batches:
        summary["batch"] = {
            "reports": batches[0]["reports"],
            "runs": len(batches),
            "seconds": med([b["seconds"] for b in batches]),
            "precision": med([b["accuracy"]["precision"] for b in batches]),
            "recall": med([b["accuracy"]["recall"] for b in batches]),
        }
    return summary


def product(d):
    """Medians of the product's runs per backend and register size."""
    rows = []
    runs = {}
    for p in glob.glob(os.path.join(d, "product-*-*-*.json")):
        m = re.search(r"product-(sqlite|pg)-(\d+)-\d+\.json$", p)
        if m:
            runs.setdefault((m.group(1), int(m.group(2))), []).append(load(p))
    for (backend, n) in sorted(runs):
        rs = runs[(backend, n)]
        row = {
            "backend": backend, "register": n, "runs": len(rs),
            "reports": rs[0]["reports"],
            "reports_per_s": med([r["reports_per_s"] for r in rs]),
            "all_runs_reports_per_s": sorted(r["reports_per_s"] for r in rs),
            "startup_s": med([r["startup_s"] for r in rs]),
            # CPU-seconds of the processing and the CPUs it kept busy (runs
            # recorded before qayd ingest printed its CPU time have none).
            "process_cpu_s": med([r["process_cpu_s"] for r in rs]) if all("process_cpu_s" in r for r in rs) else None,
            "cpus_busy": med([r["cpus_busy"] for r in rs]) if all("cpus_busy" in r for r in rs) else None,
            "peak_rss_mib": med([r["peak_rss_mib"] for r in rs]),
            "decisions": rs[0]["decisions"],
            "same_decisions_every_run": all(r["decisions"] == rs[0]["decisions"] for r in rs),
            # The 1-minute load averages seen before and after each run.
            "load_1min": [min(float(r[k].split()[0]) for r in rs for k in ("load_before", "load_after")),
                          max(float(r[k].split()[0]) for r in rs for k in ("load_before", "load_after"))],
        }
        build = os.path.join(d, f"product-{'pg-' if backend == 'pg' else ''}build-{n}.json")
        if os.path.exists(build):
            row["build"] = load(build)
        daemon = os.path.join(d, f"product-daemon-{n}.json")
        if backend == "sqlite" and os.path.exists(daemon):
            row["daemon"] = load(daemon)
        rows.append(row)
    return rows


def table(summary):
    """The product's figures as a Markdown table, with the machine's load."""
    m = summary.get("machine", {})
    lines = [
        f"Commit {m.get('commit', '?')}, {m.get('began', '?')} to {m.get('ended', '?')}; "
        f"load average (1, 5, 15 min) {m.get('load_at_start', '?')} at the start, "
        f"{m.get('load_at_end', '?')} at the end; {m.get('cpus', '?')} CPUs.",
        "",
        "| backend | register | `qayd ingest` reports/s (runs) | its CPU time (CPUs busy) | start-up | peak RSS | "
        "qaydd start-up | partner batch reports/s | spool reports/s | qaydd peak RSS | "
        "register built through matching | 1-min load during the runs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in summary.get("product", []):
        runs = " / ".join(f"{v:,.0f}" for v in r["all_runs_reports_per_s"])
        dmn = r.get("daemon") or {}
        api, spool = dmn.get("api") or {}, dmn.get("spool") or {}
        build = r.get("build") or {}
        built = (f"{build['reports']:,} in {build['wall_s']:.1f} s"
                 if build.get("reports") else "")
        lines.append(
            f"| {r['backend']} | {r['register']:,} | **{r['reports_per_s']:,.0f}** ({runs}) | "
            + (f"{r['process_cpu_s']:.1f} s ({r['cpus_busy']:.2f}) | " if r.get("process_cpu_s") is not None else "| ")
            + f"{r['startup_s']:.1f} s | {r['peak_rss_mib']:,} MiB | "
            + (f"{dmn['startup_s']:.1f} s | " if dmn else "| ")
            + (f"{api['reports_per_s']:,.0f} ({api['reports']:,}) | " if api else "| ")
            + (f"{spool['reports_per_s']:,.0f} ({spool['reports']:,}) | " if spool else "| ")
            + (f"{dmn['peak_rss_mib']:,} MiB | " if dmn else "| ")
            + f"{built} | {r['load_1min'][0]:.1f}–{r['load_1min'][1]:.1f} |")
    lines.append("")
    drv = [r for r in summary.get("sizes", []) if r.get("reports_per_s")]
    if drv:
        lines.append("The driver (`qayd-bench run`, register stored without matching): " + ", ".join(
            f"{r['reports_per_s']:,.0f} reports/s at {r['register']:,}" for r in drv) + ".")
    return "\n".join(lines) + "\n"


def svg(summary, path):
    rows = [r for r in summary["sizes"] if r["reports_per_s"]]
    prod = [r for r in summary.get("product", []) if r["backend"] == "sqlite" and r["reports_per_s"]]
    if not rows and not prod:
        return
    w, h, left, right, top, bottom = 640, 400, 70, 70, 40, 50
    xs = [math.log10(r["register"]) for r in rows]
    pxs = [math.log10(r["register"]) for r in prod]
    x0, x1 = min(xs + pxs) - 0.2, max(xs + pxs) + 0.2
    ymax = max(r["reports_per_s"] for r in rows + prod) * 1.2
    mmax = max(r["peak_rss_mib"] for r in rows + prod) * 1.2
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
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2" '
                   'stroke-dasharray="6 4"/>')
        for r, x in zip(rows, xs):
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(r[key], top_value):.1f}" r="4" fill="{colour}"/>')
    for key, top_value, colour in (("reports_per_s", ymax, "#1f5fa8"), ("peak_rss_mib", mmax, "#b0431b")):
        pts = " ".join(f"{px(math.log10(r['register'])):.1f},{py(r[key], top_value):.1f}" for r in prod)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3"/>')
        for r in prod:
            out.append(f'<rect x="{px(math.log10(r["register"]))-4:.1f}" '
                       f'y="{py(r[key], top_value)-4:.1f}" width="8" height="8" fill="{colour}"/>')
    out.append(f'<text x="{left+8}" y="{top+12}">solid, squares: qayd ingest (register built through '
               'matching)</text>')
    out.append(f'<text x="{left+8}" y="{top+28}">dashed, circles: qayd-bench run (driver)</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    d = sys.argv[1]
    summary = summarise(d)
    with open(os.path.join(d, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    svg(summary, os.path.join(d, "throughput.svg"))
    text = table(summary)
    with open(os.path.join(d, "table.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
