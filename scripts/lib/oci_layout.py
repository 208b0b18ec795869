#!/usr/bin/env python3
"""Joins single-platform image tars (Docker archive format, as Jib's buildTar writes them) into one multi-platform OCI
image layout tar, and checks such a tar. Standard library only. Used by scripts/image.sh.

  oci_layout.py assemble <out.tar> <docker-archive.tar>...
      The OCI image layout (oci-layout, index.json, blobs/sha256/...): index.json names one image index (annotations
      org.opencontainers.image.ref.name = the tag, io.containerd.image.name = the full reference, both from the
      archives' RepoTags), which lists one OCI image manifest per archive with its platform (os/architecture of the
      archive's image config). Config and layer blobs are the archives' bytes, so digests stay those of Jib's images;
      a layer both platforms share is stored once. Entries are written in a fixed order with fixed owners and times.

  oci_layout.py add-layer <docker-archive.tar> <source-dir> <into> <created-by>
      Rewrites the archive with one more layer on top: the files of <source-dir> (not its subdirectories) under the
      image path <into>, owned by root, mode 644 (directories 755), fixed times; the config gets its diff_id and a
      history line <created-by>; the other layers' bytes are unchanged.

  oci_layout.py check <layout.tar> <extract-dir> [<docker-archive.tar>...]
      Checks the layout: oci-layout version, every blob's sha256 is its name and every descriptor's size its length,
      media types, one platform per manifest and the config's os/architecture equal to it, every layer's
      uncompressed sha256 equal to the config's rootfs.diff_ids entry; with archives given, each archive is the
      layout's image of its platform (same config and layers). Extracts the blobs into <extract-dir> and prints one
      line per platform: "<os>/<architecture> <manifest digest> <config file> <layer file>...", files under
      <extract-dir>. Exits 1 with one line per problem.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_NAME = "org.opencontainers.image.ref.name"
CONTAINERD_NAME = "io.containerd.image.name"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def descriptor(media_type, data, **extra):
    d = {"mediaType": media_type, "digest": sha256(data), "size": len(data)}
    d.update(extra)
    return d


class Archive:
    """One Docker archive: its reference, config bytes and layer bytes (compressed, as stored)."""

    def __init__(self, path):
        self.path = path
        with tarfile.open(path) as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
            if len(manifest) != 1:
                raise SystemExit(f"{path}: manifest.json names {len(manifest)} images, expected 1")
            entry = manifest[0]
            self.reference = (entry.get("RepoTags") or [None])[0]
            self.config = tar.extractfile(entry["Config"]).read()
            self.layers = [tar.extractfile(name).read() for name in entry["Layers"]]
        config = json.loads(self.config)
        self.platform = {"architecture": config["architecture"], "os": config["os"]}
        for i, layer in enumerate(self.layers):
            if layer[:2] != b"\x1f\x8b":
                raise SystemExit(f"{path}: layer {i} is not gzip-compressed")


def add_bytes(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    info.mtime = 0
    tar.addfile(info)


def assemble(out, archive_paths):
    archives = [Archive(p) for p in archive_paths]
    references = {a.reference for a in archives}
    if len(references) != 1 or None in references:
        raise SystemExit(f"the archives name different or no references: {sorted(map(str, references))}")
    reference = references.pop()
    tag = reference.rsplit(":", 1)[1] if ":" in reference.rsplit("/", 1)[-1] else "latest"
    platforms = [f'{a.platform["os"]}/{a.platform["architecture"]}' for a in archives]
    if len(set(platforms)) != len(platforms):
        raise SystemExit(f"two archives of one platform: {platforms}")

    blobs = {}
    manifests = []
    for a in archives:
        layer_descriptors = []
        for layer in a.layers:
            d = descriptor(OCI_LAYER_GZIP, layer)
            blobs[d["digest"]] = layer
            layer_descriptors.append(d)
        config = descriptor(OCI_CONFIG, a.config)
        blobs[config["digest"]] = a.config
        manifest = canonical_json(
            {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": layer_descriptors})
        blobs[sha256(manifest)] = manifest
        manifests.append(descriptor(OCI_MANIFEST, manifest, platform=a.platform))
    index = canonical_json({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests})
    blobs[sha256(index)] = index
    top = canonical_json({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [descriptor(OCI_INDEX, index, annotations={REF_NAME: tag, CONTAINERD_NAME: reference})],
    })

    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        add_bytes(tar, "oci-layout", canonical_json({"imageLayoutVersion": "1.0.0"}))
        add_bytes(tar, "index.json", top)
        add_dir(tar, "blobs")
        add_dir(tar, "blobs/sha256")
        for digest in sorted(blobs):
            add_bytes(tar, "blobs/sha256/" + digest.split(":", 1)[1], blobs[digest])
    os.replace(tmp, out)
    print(f"{out}: {reference} ({', '.join(platforms)}), index {sha256(index)}, {len(blobs)} blobs")


def add_layer(archive, source_dir, into, created_by):
    with tarfile.open(archive) as tar:
        order = [m.name for m in tar.getmembers() if m.isfile()]
        members = {name: tar.extractfile(name).read() for name in order}
    manifest = json.loads(members["manifest.json"])
    if len(manifest) != 1:
        raise SystemExit(f"{archive}: manifest.json names {len(manifest)} images, expected 1")
    entry = manifest[0]
    config = json.loads(members[entry["Config"]])

    raw = io.BytesIO()
    parts = into.strip("/").split("/")
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as layer:
        for i in range(1, len(parts) + 1):
            add_dir(layer, "/".join(parts[:i]))
        for name in sorted(os.listdir(source_dir)):
            path = os.path.join(source_dir, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    add_bytes(layer, "/".join(parts + [name]), f.read())
    uncompressed = raw.getvalue()
    compressed = gzip.compress(uncompressed, mtime=0)
    layer_name = sha256(compressed).split(":", 1)[1] + ".tar.gz"

    config["rootfs"]["diff_ids"].append(sha256(uncompressed))
    history = {"created_by": created_by}
    if "created" in config:
        history["created"] = config["created"]
    config.setdefault("history", []).append(history)
    entry["Layers"].append(layer_name)
    members[entry["Config"]] = json.dumps(config, separators=(",", ":")).encode()
    members[layer_name] = compressed
    members["manifest.json"] = json.dumps(manifest, separators=(",", ":")).encode()
    order.insert(order.index("manifest.json") if "manifest.json" in order else len(order), layer_name)

    tmp = archive + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in order:
            add_bytes(tar, name, members[name])
    os.replace(tmp, archive)
    print(f"{archive}: layer {layer_name} ({len(compressed)} bytes) with {into}/ added")


def check(path, extract_dir, archive_paths):
    problems = []
    with tarfile.open(path) as tar:
        members = {m.name.lstrip("./"): m for m in tar.getmembers() if m.isfile()}
        contents = {name: tar.extractfile(m).read() for name, m in members.items()}

    def blob(d, media_type, where):
        if d.get("mediaType") != media_type:
            problems.append(f"{where}: media type {d.get('mediaType')}, expected {media_type}")
        name = "blobs/" + str(d.get("digest", "")).replace(":", "/", 1)
        data = contents.get(name)
        if data is None:
            problems.append(f"{where}: blob {d.get('digest')} missing")
            return None
        if len(data) != d.get("size"):
            problems.append(f"{where}: size {d.get('size')}, blob has {len(data)}")
        return data

    layout = json.loads(contents.get("oci-layout", b"{}"))
    if layout.get("imageLayoutVersion") != "1.0.0":
        problems.append(f"oci-layout: {layout}")
    for name, data in contents.items():
        if name.startswith("blobs/sha256/") and sha256(data) != "sha256:" + name.rsplit("/", 1)[1]:
            problems.append(f"{name}: content has digest {sha256(data)}")
    top = json.loads(contents.get("index.json", b"{}"))
    tops = top.get("manifests", [])
    if len(tops) != 1:
        raise SystemExit(f"index.json names {len(tops)} images, expected one image index")
    tag = tops[0].get("annotations", {}).get(REF_NAME)
    if not tag:
        problems.append(f"index.json: no {REF_NAME} annotation")
    index = json.loads(blob(tops[0], OCI_INDEX, "index.json") or b"{}")

    lines = []
    seen = {}
    for i, m in enumerate(index.get("manifests", [])):
        where = f"index manifest {i}"
        platform = m.get("platform") or {}
        key = f'{platform.get("os")}/{platform.get("architecture")}'
        if key in seen:
            problems.append(f"{where}: platform {key} twice")
        manifest = json.loads(blob(m, OCI_MANIFEST, where) or b"{}")
        config_data = blob(manifest.get("config", {}), OCI_CONFIG, f"{key} config") or b"{}"
        config = json.loads(config_data)
        if config.get("os") != platform.get("os") or config.get("architecture") != platform.get("architecture"):
            problems.append(f"{key}: config says {config.get('os')}/{config.get('architecture')}")
        diff_ids = config.get("rootfs", {}).get("diff_ids", [])
        layers = manifest.get("layers", [])
        if len(diff_ids) != len(layers):
            problems.append(f"{key}: {len(layers)} layers, {len(diff_ids)} diff_ids")
        layer_data = []
        for j, d in enumerate(layers):
            data = blob(d, OCI_LAYER_GZIP, f"{key} layer {j}") or b""
            layer_data.append(data)
            if j < len(diff_ids) and sha256(gzip.decompress(data)) != diff_ids[j]:
                problems.append(f"{key} layer {j}: uncompressed digest differs from diff_ids[{j}]")
        seen[key] = (config_data, layer_data)
        files = [d.get("digest", "").split(":", 1)[-1] for d in [manifest.get("config", {})] + layers]
        lines.append(" ".join([key, m.get("digest", "")] + [os.path.join(extract_dir, "blobs", "sha256", f) for f in files]))
    if not lines:
        problems.append("the image index lists no manifest")

    for p in archive_paths:
        a = Archive(p)
        key = f'{a.platform["os"]}/{a.platform["architecture"]}'
        if key not in seen:
            problems.append(f"{p}: platform {key} is not in the layout")
        elif seen[key] != (a.config, a.layers):
            problems.append(f"{p}: not the layout's {key} image (config or layers differ)")
        elif not a.reference or not a.reference.endswith(":" + str(tag)):
            problems.append(f"{p}: reference {a.reference}, the layout's tag is {tag}")

    if problems:
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        sys.exit(1)
    os.makedirs(os.path.join(extract_dir, "blobs", "sha256"), exist_ok=True)
    for name, data in contents.items():
        if name.startswith("blobs/sha256/"):
            with open(os.path.join(extract_dir, name), "wb") as f:
                f.write(data)
    print(f"tag {tag}")
    for line in lines:
        print(line)


def main(argv):
    if len(argv) >= 3 and argv[1] == "assemble":
        assemble(argv[2], argv[3:])
    elif len(argv) == 6 and argv[1] == "add-layer":
        add_layer(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) >= 4 and argv[1] == "check":
        check(argv[2], argv[3], argv[4:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
