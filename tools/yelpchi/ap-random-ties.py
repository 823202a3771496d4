#!/usr/bin/env python3
"""usage: ap-random-ties.py LABELS REVIEWER_SCORES: reviewer AP with ties broken at random (mean of seeds 0..4), and distinct scores."""
import csv, random, sys
lab = list(csv.DictReader(open(sys.argv[1])))
spam = {}
for r in lab: spam[r['reviewer']] = max(spam.get(r['reviewer'], 0), int(r['is_filtered']))
sc = {r['reviewer']: float(r['score']) for r in csv.DictReader(open(sys.argv[2]))}
keys = list(spam); s = [sc.get(k, 0.0) for k in keys]; y = [spam[k] for k in keys]
def ap(order):
    tp = 0; t = 0.0
    for k, i in enumerate(order, 1):
        if y[i]: tp += 1; t += tp / k
    return t / sum(y)
aps = []
for seed in range(5):
    idx = list(range(len(keys))); random.Random(seed).shuffle(idx)
    aps.append(ap(sorted(idx, key=lambda i: -s[i])))
from collections import Counter
top = Counter(s).most_common(1)[0]
print(f"reviewer AP random ties (5 seeds) {sum(aps)/5:.4f}; distinct scores {len(set(s))}; most shared score {top[0]} by {top[1]/len(s):.1%}")
