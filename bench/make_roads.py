#!/usr/bin/env python3
"""Writes the second render benchmark map: a street network with Chinese street names over large
land-use blocks, in CGCS2000 / 3-degree Gauss-Krueger CM 120E (EPSG:4549). COLS x ROWS blocks of
BLOCK_M metres, each an irregular ring of 16 vertices shared with its neighbours (field ydyh: an
MNR 2021 class; field name: empty, so the blocks carry no labels), and the streets along the block
edges, cut into named segments SEGMENT blocks long (field name: the street's name, field grade:
主干路 / 次干路 / 支路). Deterministic.
Usage: make_roads.py COLS ROWS BLOCKS.geojson ROADS.geojson [BLOCK_M SEGMENT]"""
import json, random, sys

cols, rows, blocks_out, roads_out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
block = float(sys.argv[5]) if len(sys.argv) > 5 else 500.0
segment = int(sys.argv[6]) if len(sys.argv) > 6 else 3
classes = ["耕地", "园地", "林地", "草地", "湿地", "城镇住宅用地", "农村宅基地", "机关团体用地", "教育用地", "医疗卫生用地",
           "商业服务业用地", "工业用地", "仓储用地", "公用设施用地", "公园绿地", "防护绿地", "广场用地", "留白用地", "陆地水域"]
stems = ["解放", "中山", "人民", "建设", "和平", "文化", "学院", "光明", "新华", "青年", "东方", "朝阳", "海门", "白云", "椒江",
         "章安", "葭沚", "前所", "洪家", "三甲", "路桥", "螺洋", "桐屿", "峰江", "金清", "蓬街", "市府", "开发", "滨海", "枫南"]
suffixes = {"主干路": ["大道", "路"], "次干路": ["路", "街"], "支路": ["街", "巷", "弄"]}
rnd = random.Random(20211)
sub = 4  # edge vertices per block side
n_x, n_y = cols * sub, rows * sub
x0, y0 = 500000.0 - cols * block / 2, 3320000.0 - rows * block / 2
step = block / sub
# A fine grid of jittered vertices: block corners move a little, the points between them wobble
# across the edge, so that streets bend gently and neighbouring blocks share their boundaries.
jit = [[(0.0, 0.0)] * (n_x + 1) for _ in range(n_y + 1)]
for j in range(n_y + 1):
    for i in range(n_x + 1):
        if 0 < i < n_x and 0 < j < n_y:
            if i % sub == 0 and j % sub == 0:
                jit[j][i] = (rnd.uniform(-0.15, 0.15) * block, rnd.uniform(-0.15, 0.15) * block)
            else:
                jit[j][i] = (rnd.uniform(-0.12, 0.12) * step, rnd.uniform(-0.12, 0.12) * step)
# Keep the edge points between two corners on the line between them (plus the wobble).
def corner(i, j):
    return jit[j * sub][i * sub]
def v(i, j):
    ci, cj = i // sub, j // sub
    fi, fj = i % sub, j % sub
    if fi == 0 and fj == 0:
        dx, dy = corner(ci, cj)
    elif fj == 0:
        a, b = corner(ci, cj), corner(min(ci + 1, cols), cj)
        t = fi / sub
        dx, dy = a[0] + (b[0] - a[0]) * t + jit[j][i][0], a[1] + (b[1] - a[1]) * t + jit[j][i][1]
    elif fi == 0:
        a, b = corner(ci, cj), corner(ci, min(cj + 1, rows))
        t = fj / sub
        dx, dy = a[0] + (b[0] - a[0]) * t + jit[j][i][0], a[1] + (b[1] - a[1]) * t + jit[j][i][1]
    else:
        dx, dy = 0.0, 0.0
    if i in (0, n_x) or j in (0, n_y):
        dx, dy = (0.0 if i in (0, n_x) else dx), (0.0 if j in (0, n_y) else dy)
    return [round(x0 + i * step + dx, 2), round(y0 + j * step + dy, 2)]

crs = '{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}}'
with open(blocks_out, "w", encoding="utf-8") as f:
    f.write('{"type":"FeatureCollection","crs":%s,"features":[\n' % crs)
    n = 0
    for j in range(rows):
        for i in range(cols):
            bi, bj = i * sub, j * sub
            ring = [v(bi + k, bj) for k in range(sub)] + [v(bi + sub, bj + k) for k in range(sub)] + \
                   [v(bi + sub - k, bj + sub) for k in range(sub)] + [v(bi, bj + sub - k) for k in range(sub)]
            ring.append(ring[0])
            cls = classes[(i // 3 * 7 + j // 2 * 5 + rnd.randrange(3)) % len(classes)]
            feat = {"type": "Feature", "properties": {"id": n, "ydyh": cls, "name": ""},
                    "geometry": {"type": "Polygon", "coordinates": [ring]}}
            f.write(("," if n else "") + json.dumps(feat, ensure_ascii=False) + "\n")
            n += 1
    f.write("]}\n")
n_blocks = n

def grade(k):
    return "主干路" if k % 6 == 0 else "次干路" if k % 2 == 0 else "支路"

with open(roads_out, "w", encoding="utf-8") as f:
    f.write('{"type":"FeatureCollection","crs":%s,"features":[\n' % crs)
    n = 0
    streets = [("h", j, cols) for j in range(1, rows)] + [("v", i, rows) for i in range(1, cols)]
    for s, (kind, k, length) in enumerate(streets):
        g = grade(k)
        for a in range(0, length, segment):
            b = min(a + segment, length)
            if kind == "h":
                line = [v(i, k * sub) for i in range(a * sub, b * sub + 1)]
            else:
                line = [v(k * sub, j) for j in range(a * sub, b * sub + 1)]
            stem = stems[(s * 7 + a // segment * 3) % len(stems)]
            name = stem + ("东" if kind == "h" else "北") * (a // segment % 2) + suffixes[g][(s + a) % len(suffixes[g])]
            feat = {"type": "Feature", "properties": {"id": n, "name": name, "grade": g},
                    "geometry": {"type": "LineString", "coordinates": line}}
            f.write(("," if n else "") + json.dumps(feat, ensure_ascii=False) + "\n")
            n += 1
    f.write("]}\n")
print(f"{blocks_out}: {n_blocks} blocks; {roads_out}: {n} street segments")
