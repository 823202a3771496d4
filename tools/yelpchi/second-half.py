#!/usr/bin/env python3
"""usage: second-half.py EVENTS LABELS AFTER_DATE REPLAY_DIR OUT_DIR
Writes OUT_DIR/labels.csv (reviews dated after AFTER_DATE), reviews.csv, reviews-at-arrival.csv and reviewers.csv (the
replay's scores of those reviews, and the end-of-stream scores of the reviewers with a review in that half) for evaluate.py."""
import csv, os, sys
events, labels, after, replay, out = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
keep = {r['seq'] for r in csv.DictReader(open(events)) if r['date'] > after}
rows = [r for r in csv.DictReader(open(labels)) if r['seq'] in keep]
reviewers = {r['reviewer'] for r in rows}
with open(os.path.join(out, 'labels.csv'), 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=['seq', 'reviewer', 'product', 'is_filtered']); w.writeheader(); w.writerows(rows)
for name, key, ks in (('reviews.csv', 'seq', keep), ('reviews-at-arrival.csv', 'seq', keep), ('reviewers.csv', 'reviewer', reviewers)):
    with open(os.path.join(replay, name), newline='') as f, open(os.path.join(out, name), 'w', newline='') as g:
        w = csv.writer(g); w.writerow([key, 'score'])
        for r in csv.DictReader(f):
            if r[key] in ks: w.writerow([r[key], r['score']])
