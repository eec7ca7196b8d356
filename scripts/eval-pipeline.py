#!/usr/bin/env python3
"""Runs the accuracy tasks "drift" and "cross-script" through the real
pipeline: a fresh temporary SQLite register, `qayd ingest` of the existing
file, `qayd ingest --decisions` of the incoming file, `qayd export`, and the
metrics of issue 4 computed from the decisions and the national ids.

usage: scripts/eval-pipeline.py [--qayd build/cli/qayd] [--data data] [--task drift|cross-script|all]
Exit status 1 when a bar is missed.
"""
import argparse, csv, json, os, subprocess, sys, tempfile

BARS = {"drift": (0.995, 0.90, 0.99, 0.10), "cross-script": (0.99, 0.75, 0.95, 0.15)}


def nine(i):
    return i if i and len(i) == 9 and i.isdigit() else None


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def task(qayd, data, name, tmp):
    db = os.path.join(tmp, name + ".db")
    moh = os.path.join(data, "gaza-moh")
    base_map = ["--map", "id=national_id", "--map", "dob=date_of_birth"]
    if name == "drift":
        run([qayd, "ingest", "--db", db, "--source", "existing", "--map", "name_ar_raw=name", *base_map,
             os.path.join(moh, "release-2024-01-05.csv")])
    else:
        run([qayd, "ingest", "--db", db, "--source", "existing", "--format", "json", "--map", "en_name=name",
             "--map", "name=", *base_map, os.path.join(moh, "update-2024-02-19-with-english.json")])
    incoming = os.path.join(moh, "release-2024-03-29.csv")
    decisions = os.path.join(tmp, name + ".decisions.jsonl")
    run([qayd, "ingest", "--db", db, "--source", "incoming", "--map", "name_ar_raw=name",
         "--map", "source=source_type", *base_map, "--decisions", decisions, incoming])
    export = os.path.join(tmp, name + ".export.jsonl")
    run([qayd, "export", "--db", db, "--out", export])
    # National ids of the existing reports, per victim (from the register).
    ids_of_victim = {}
    with open(export) as f:
        for line in f:
            v = json.loads(line)
            ids_of_victim[v["victim_id"]] = v
    existing_ids = set()
    existing_file_rows = {}
    # source_record_id of the existing file is its data row number.
    if name == "drift":
        with open(os.path.join(moh, "release-2024-01-05.csv"), newline="") as f:
            for n, row in enumerate(csv.DictReader(f), 1):
                existing_file_rows[str(n)] = nine(row["id"])
    else:
        with open(os.path.join(moh, "update-2024-02-19-with-english.json")) as f:
            for n, row in enumerate(json.load(f), 1):
                existing_file_rows[str(n)] = nine(str(row["id"]))
    victim_ids = {}
    for vid, v in ids_of_victim.items():
        s = set()
        for r in v["reports"]:
            if r["source"] == "existing":
                i = existing_file_rows.get(str(r["source_record_id"]))
                if i:
                    s.add(i)
        victim_ids[vid] = s
        existing_ids |= s
    incoming_ids = []
    with open(incoming, newline="") as f:
        for row in csv.DictReader(f):
            incoming_ids.append(nine(row["id"]))
    right = wrong = auto_hit = review_hit = truth = scored = reviews = 0
    with open(decisions) as f:
        for n, line in enumerate(f):
            d = json.loads(line)
            if d["decision"] in ("rejected", "duplicate") or n >= len(incoming_ids):
                continue
            scored += 1
            if d["decision"] == "review":
                reviews += 1
            i = incoming_ids[n]
            if i is None:
                continue
            has_truth = i in existing_ids
            truth += has_truth
            if d["decision"] == "merged":
                ids = victim_ids.get(d["victim_id"], set())
                if i in ids:
                    right += 1
                    auto_hit += 1
                elif ids:
                    wrong += 1
            if has_truth and d["decision"] in ("merged", "review"):
                cands = [c["victim_id"] for c in d["candidates"]]
                if d["decision"] == "merged":
                    cands.append(d["victim_id"])
                if any(i in victim_ids.get(c, set()) for c in cands):
                    review_hit += 1
    m = {"task": name, "merge_precision": right / max(1, right + wrong), "automatic_recall": auto_hit / max(1, truth),
         "recall_with_review": review_hit / max(1, truth), "review_load": reviews / max(1, scored),
         "merges_right": right, "merges_wrong": wrong, "with_truth": truth, "scored": scored}
    p, ar, rr, load = BARS[name]
    m["bars_met"] = (m["merge_precision"] >= p and m["automatic_recall"] >= ar and
                     m["recall_with_review"] >= rr and m["review_load"] <= load)
    return m


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--qayd", default=os.path.join(root, "build", "cli", "qayd"))
    ap.add_argument("--data", default=os.environ.get("QAYD_DATA_DIR") or os.path.join(root, "data"))
    ap.add_argument("--task", default="all")
    a = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("drift", "cross-script"):
            if a.task not in ("all", name):
                continue
            m = task(a.qayd, a.data, name, tmp)
            ok = ok and m["bars_met"]
            print(json.dumps(m))
    sys.exit(0 if ok else 1)


main()
