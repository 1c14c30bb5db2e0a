#!/usr/bin/env python3
"""Writes a synthetic land-use map for the render benchmark: COLS x ROWS irregular quadrilateral
parcels in CGCS2000 / 3-degree Gauss-Krueger CM 120E (EPSG:4549), each with an MNR 2021 class
(field ydyh) and, for every LABEL_EVERY-th parcel, a Chinese label (field name)."""
import json, math, random, sys

cols, rows, label_every, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
classes = ["耕地", "园地", "林地", "草地", "湿地", "农业设施建设用地", "城镇住宅用地", "农村宅基地", "机关团体用地", "科研用地",
           "文化用地", "教育用地", "体育用地", "医疗卫生用地", "社会福利用地", "商业服务业用地", "工业用地", "采矿用地", "仓储用地",
           "交通运输用地", "公路用地", "城镇道路用地", "公用设施用地", "公园绿地", "防护绿地", "广场用地", "特殊用地", "留白用地", "陆地水域"]
names = ["椒江", "海门", "白云", "葭沚", "章安", "前所", "下陈", "洪家", "三甲", "大陈", "路桥", "螺洋", "桐屿", "峰江", "金清", "蓬街"]
rnd = random.Random(42)
cell = 120.0  # metres
x0, y0 = 500000.0 - cols * cell / 2, 3320000.0 - rows * cell / 2
# Jittered grid vertices shared by neighbours, so parcels tile without gaps.
jit = [[(rnd.uniform(-0.3, 0.3) * cell, rnd.uniform(-0.3, 0.3) * cell) for _ in range(cols + 1)] for _ in range(rows + 1)]
def v(i, j):
    dx, dy = jit[j][i] if 0 < i < cols and 0 < j < rows else (0.0, 0.0)
    return [round(x0 + i * cell + dx, 2), round(y0 + j * cell + dy, 2)]
with open(out, "w", encoding="utf-8") as f:
    f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"features":[\n')
    n = 0
    for j in range(rows):
        for i in range(cols):
            ring = [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]
            cls = classes[(i // 7 * 13 + j // 5 * 7 + rnd.randrange(3)) % len(classes)]
            name = f"{names[n // label_every % len(names)]}{n // label_every % 10}" if n % label_every == 0 else ""
            feat = {"type": "Feature", "properties": {"id": n, "ydyh": cls, "name": name},
                    "geometry": {"type": "Polygon", "coordinates": [ring]}}
            f.write(("," if n else "") + json.dumps(feat, ensure_ascii=False) + "\n")
            n += 1
    f.write("]}\n")
print(f"{out}: {n} parcels, {(n + label_every - 1) // label_every} labels")
