#!/usr/bin/env python3
"""Generates samples/feed.jsonl: the bundled sample feed (qayd JSON lines).

Synthetic people composed from common Arabic name tokens and their usual Latin
spellings -- no row is copied from any real list. Deterministic (fixed seed).
The feed holds first reports in Arabic script, later re-reports of some of the
same people (spelling variants, a dropped grandfather, Latin transliterations),
families killed together (siblings share father, grandfather and family name:
hard cases that must NOT merge), a few unidentified victims, and two records
that validation rejects (to show the quarantine).

Usage: scripts/make-sample.py [OUT]   (default: samples/feed.jsonl)
"""
import json
import random
import sys

MALE = [
    ("محمد", ["Mohammad", "Muhammad", "Mohamed", "Mohammed"]),
    ("أحمد", ["Ahmad", "Ahmed"]),
    ("علي", ["Ali"]),
    ("حسن", ["Hasan", "Hassan"]),
    ("حسين", ["Hussein", "Husain", "Hussain"]),
    ("خالد", ["Khaled", "Khalid"]),
    ("عمر", ["Omar", "Umar"]),
    ("يوسف", ["Youssef", "Yusuf", "Yousef"]),
    ("إبراهيم", ["Ibrahim", "Ebrahim"]),
    ("محمود", ["Mahmoud", "Mahmud"]),
    ("سامر", ["Samer"]),
    ("رامي", ["Rami", "Ramy"]),
    ("وليد", ["Walid", "Waleed"]),
    ("عبد الرحمن", ["Abdul Rahman", "Abdulrahman", "Abd al-Rahman"]),
    ("عبد الله", ["Abdullah", "Abdallah"]),
    ("نور الدين", ["Nour al-Din", "Nureddine"]),
    ("مصطفى", ["Mustafa", "Moustafa"]),
    ("أسامة", ["Osama", "Usama"]),
    ("يحيى", ["Yahya", "Yehia"]),
    ("جمال", ["Jamal", "Gamal"]),
]
FEMALE = [
    ("فاطمة", ["Fatima", "Fatma", "Fatimah"]),
    ("مريم", ["Maryam", "Mariam"]),
    ("عائشة", ["Aisha", "Aysha"]),
    ("زينب", ["Zainab", "Zeinab"]),
    ("هدى", ["Huda", "Hoda"]),
    ("سعاد", ["Suad", "Souad"]),
    ("رنا", ["Rana"]),
    ("ليلى", ["Layla", "Leila"]),
    ("آمنة", ["Amina", "Amneh"]),
    ("خديجة", ["Khadija", "Khadeeja"]),
]
FAMILY = [
    ("العلي", ["al-Ali", "Al Ali"]),
    ("الحسين", ["al-Hussein", "El Hussein"]),
    ("الأحمد", ["al-Ahmad", "Alahmad"]),
    ("الخطيب", ["al-Khatib", "El Khatib"]),
    ("الحلبي", ["al-Halabi", "Halabi"]),
    ("المصري", ["al-Masri", "El Masry"]),
    ("أبو شرخ", ["Abu Sharkh", "Abou Charkh"]),
    ("النجار", ["al-Najjar", "Najjar"]),
    ("الشامي", ["al-Shami", "Shamy"]),
    ("حداد", ["Haddad", "Hadad"]),
    ("العمر", ["al-Omar", "Al Omar"]),
    ("الزعبي", ["al-Zoubi", "Zoubi"]),
    ("عيسى", ["Issa", "Eissa"]),
    ("الكردي", ["al-Kurdi", "Kurdi"]),
]
GAZA = ["North Gaza", "Gaza", "Deir al-Balah", "Khan Younis", "Rafah"]
SYRIA = ["Idlib", "Aleppo", "Hama", "Daraa", "Rif Dimashq", "Deir ez-Zor"]
CAUSES = ["Air strike", "Shelling", "Gunfire", "Explosion", "Barrel bomb"]
SYRIA_PERPETRATORS = ["Syrian regime forces", "Russian forces", "ISIS", "Unidentified parties"]


def ar_variant(text, rng):
    """An Arabic spelling variant: alef/ta marbuta/ya folding, as lists vary."""
    out = text
    for a, b in [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")]:
        if a in out and rng.random() < 0.7:
            out = out.replace(a, b)
    if "عبد " in out and rng.random() < 0.5:
        out = out.replace("عبد ", "عبد")
    return out


def make_people(rng):
    people = []
    pid = 0

    def person(sex, first, father, grandfather, family, dob, death, region, place_seed=None):
        nonlocal pid
        pid += 1
        return {"pid": pid, "sex": sex, "first": first, "father": father,
                "grandfather": grandfather, "family": family, "dob": dob,
                "death": death, "region": region,
                "place_seed": place_seed if place_seed is not None else 1000 + pid}

    def dates():
        dob = "%04d-%02d-%02d" % (rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.6:
            death = "2024-%02d-%02d" % (rng.randint(1, 5), rng.randint(1, 28))
        else:
            death = "2023-%02d-%02d" % (rng.randint(10, 12), rng.randint(1, 28))
        return dob, death

    # Families killed together: siblings (same father, grandfather, family).
    for group in range(12):
        father, grandfather, family = rng.choice(MALE), rng.choice(MALE), rng.choice(FAMILY)
        _, death = dates()
        region = rng.choice(["gaza", "syria"])
        used = set()
        for _ in range(rng.randint(2, 4)):
            sex = rng.choice(["male", "female"])
            first = rng.choice([t for t in (MALE if sex == "male" else FEMALE)
                                if t[0] not in used and t[0] != father[0]])
            used.add(first[0])
            dob = "%04d-%02d-%02d" % (rng.randint(2005, 2022), rng.randint(1, 12), rng.randint(1, 28))
            people.append(person(sex, first, father, grandfather, family, dob, death, region,
                                 place_seed=group))
    while len(people) < 150:
        sex = "male" if rng.random() < 0.65 else "female"
        first = rng.choice(MALE if sex == "male" else FEMALE)
        dob, death = dates()
        people.append(person(sex, first, rng.choice(MALE), rng.choice(MALE), rng.choice(FAMILY),
                             dob, death, rng.choice(["gaza", "gaza", "syria"])))
    return people


def age_at(dob, death):
    y1, m1, d1 = map(int, dob.split("-"))
    y2, m2, d2 = map(int, death.split("-"))
    return y2 - y1 - ((m2, d2) < (m1, d1))


def place(p, rng):
    rng2 = random.Random(p["place_seed"])  # stable across reports; shared by a family
    gov = rng2.choice(GAZA if p["region"] == "gaza" else SYRIA)
    return {"governorate": gov}


def first_report(p, rng, rid):
    full = " ".join(t[0] for t in (p["first"], p["father"], p["grandfather"], p["family"]))
    rec = {
        "source_record_id": rid,
        "names": [{"full": full, "script": "arabic"}],
        "sex": p["sex"],
        "date_of_birth": p["dob"],
        "age": str(age_at(p["dob"], p["death"])),
        "date_of_death": p["death"],
        "place_of_death": place(p, rng),
        "cause": rng.choice(CAUSES),
    }
    if p["region"] == "syria":
        rec["perpetrator"] = rng.choice(SYRIA_PERPETRATORS)
    if rng.random() < 0.15:
        rec["date_documented"] = "2024-06-%02d" % rng.randint(1, 28)
    return rec


def re_report(p, rng, rid):
    kind = rng.choice(["arabic_variant", "dropped_grandfather", "latin", "latin", "both"])
    names = []
    if kind in ("arabic_variant", "dropped_grandfather", "both"):
        parts = [p["first"][0], p["father"][0]]
        if kind != "dropped_grandfather":
            parts.append(p["grandfather"][0])
        parts.append(p["family"][0])
        names.append({"full": ar_variant(" ".join(parts), rng), "script": "arabic"})
    if kind in ("latin", "both"):
        parts = [rng.choice(t[1]) for t in (p["first"], p["father"], p["family"])]
        if rng.random() < 0.3:
            parts.insert(2, rng.choice(p["grandfather"][1]))
        names.append({"full": " ".join(parts), "script": "latin"})
    rec = {"source_record_id": rid, "names": names, "sex": p["sex"],
           "date_of_death": p["death"], "place_of_death": place(p, rng)}
    if rng.random() < 0.5:
        rec["date_of_birth"] = p["dob"][:4]  # only the year this time
    else:
        rec["age"] = str(age_at(p["dob"], p["death"]))
    if rng.random() < 0.3:
        rec["notes"] = "re-reported by a second source"
    return rec


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "samples/feed.jsonl"
    rng = random.Random(20240105)
    people = make_people(rng)
    records = []
    n = 0

    def rid():
        nonlocal n
        n += 1
        return "s%04d" % n

    for p in people:
        records.append(first_report(p, rng, rid()))
    for p in rng.sample(people, 43):
        records.append(re_report(p, rng, rid()))
    for _ in range(5):
        records.append({"source_record_id": rid(), "identification": "unidentified",
                        "sex": rng.choice(["male", "unknown"]),
                        "date_of_death": "2024-0%d-%02d" % (rng.randint(1, 5), rng.randint(1, 28)),
                        "place_of_death": {"governorate": rng.choice(GAZA)},
                        "notes": "body not identified"})
    # Two records that validation rejects, to show the quarantine.
    records.append({"source_record_id": rid(), "names": [{"full": "سامر الحلبي"}],
                    "sex": "male", "date_of_birth": "2001-03-04", "date_of_death": "1999-01-01"})
    records.append({"source_record_id": rid(), "names": [{"full": "Rana Haddad"}],
                    "sex": "female", "place_of_death": {"governorate": "Khan Yunis"}})
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("%s: %d records (%d people)" % (out, len(records), len(people)))


if __name__ == "__main__":
    main()
