"""Linked-data exports: schema.org ClaimReview for verdicts, and an RO-Crate 1.1 wrapping the package.

Both are JSON-LD. Their contexts ship with claimpack (assets/), so that they can be expanded
and checked without a network: `document_loader` serves them to pyld (or any JSON-LD processor
that takes a loader):
- assets/schemaorg-context.jsonld: the official schema.org JSON-LD context (schema.org release
  12.0, data/releases/12.0/schemaorgcontext.jsonld of the schemaorg repository), served for
  https://schema.org and its variants;
- assets/ro-crate-1.1-context.jsonld: the official RO-Crate 1.1 context (version 1.1.3, the
  ro-crate repository's docs/1.1/context.jsonld), served for https://w3id.org/ro/crate/1.1/context.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..model.domain import Claim, Model
from ..model.numbers import plain_number
from ..system.escape import element_id
from ..system.problems import ClaimpackError
from ..text import csl

SCHEMA_ORG = "https://schema.org"
RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
RO_CRATE_SPEC = "https://w3id.org/ro/crate/1.1"
CONTEXTS = {
    **dict.fromkeys(("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
                     "https://schema.org/docs/jsonldcontext.jsonld", "http://schema.org/docs/jsonldcontext.jsonld",
                     "https://schema.org/docs/jsonldcontext.json"), "schemaorg-context.jsonld"),
    **dict.fromkeys(("https://w3id.org/ro/crate/1.1/context", "https://w3id.org/ro/crate/1.1/context/"),
                    "ro-crate-1.1-context.jsonld"),
}
# How each verdict reads as a schema.org Rating (1 worst, 5 best); an unverifiable claim has no value.
RATINGS = {"confirmed": (5, "Confirmed"), "corrected": (3, "Corrected"), "disputed": (1, "Disputed"),
           "unverifiable": (None, "Unverifiable")}


@cache
def context_document(url: str) -> dict:
    """The bundled JSON-LD context document for a context URL."""
    name = CONTEXTS.get(url)
    if name is None:
        raise ClaimpackError(f"no bundled JSON-LD context for {url} (claimpack works offline)",
                             expected=", ".join(sorted({u for u in CONTEXTS if u.startswith("https://")})))
    return json.loads(resources.files("claimpack").joinpath("assets", name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that serves the bundled contexts and refuses everything else."""
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": context_document(url)}


# ---- shared pieces ----------------------------------------------------------------------------
def plain(text: str | None) -> str:
    """Text without Markdown escapes and emphasis, for a linked-data literal."""
    from ..text.paper import normalize

    return normalize(text or "")


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return plain_number(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def base_url(descriptor: dict) -> str:
    home = descriptor.get("homepage") or descriptor.get("id") or ""
    return home.rstrip("#") if isinstance(home, str) and re.match(r"^https?://", home) else ""


def _people(text: str | None) -> list[dict]:
    from ..model.bibliography import names

    found = []
    for name in names(text):
        if "literal" in name:
            found.append({"@type": "Organization", "name": name["literal"]})
        else:
            found.append({"@type": "Person", "name": f"{name['given']} {name['family']}".strip(),
                          "familyName": name["family"], "givenName": name["given"]})
    return found


# ---- ClaimReview ------------------------------------------------------------------------------
def claim_review(model: Model) -> dict:
    """schema.org ClaimReview JSON-LD: one review per claim that has a verdict, from its latest verdict,
    and one per claim a defect of the paper concerns (defects.csv), by the package's creators."""
    base = base_url(model.package.descriptor)
    paper = model.own_source
    authors = _people(paper.author if paper else None)
    appearance: dict[str, Any] = {"@type": csl.kind((paper.type if paper else None) or "").schema_org,
                                  "name": (paper.title if paper else None) or model.package.descriptor.get("title", "")}
    if authors:
        appearance["author"] = authors
    if paper and paper.issued:
        appearance["datePublished"] = paper.issued
    if paper and paper.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": paper.publisher}
    if paper and paper.url:
        appearance["url"] = paper.url

    def claim_of(reviewed: Claim) -> dict[str, Any]:
        claim: dict[str, Any] = {"@type": "Claim", "text": plain(reviewed.quote), "appearance": appearance,
                                 "firstAppearance": appearance}
        if authors:
            claim["author"] = authors
        if paper and paper.issued:
            claim["datePublished"] = paper.issued
        work = reviewed.source
        if work and work is not paper:
            cited: dict[str, Any] = {"@type": csl.kind(work.type or "").schema_org,
                                     "name": work.title or work.id}
            if work.url:
                cited["url"] = work.url
            claim["citation"] = cited
        return claim

    reviews = []
    for record_id, entry in model.latest.items():
        try:
            reviewed = model.claim(record_id)
        except KeyError:
            continue  # events have verdicts too, but ClaimReview reviews claims
        value, label = RATINGS.get(entry.verdict, (None, entry.verdict))
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": label, "bestRating": 5, "worstRating": 1,
                                  "ratingExplanation": entry.note}
        if value is not None:
            rating["ratingValue"] = value
        body = entry.note
        if entry.value is not None:
            body += f" (value found: {entry.value_text} {reviewed.unit or ''})".rstrip()
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "url": f"{base}#{element_id('claim-', record_id)}",
            "claimReviewed": plain(reviewed.quote),
            "datePublished": entry.timestamp[:10],
            "dateCreated": entry.timestamp,
            "author": {"@type": "Person", "name": entry.by},
            "reviewBody": body,
            "reviewRating": rating,
            "itemReviewed": claim_of(reviewed),
            "identifier": f"{record_id}/verification/{entry.fields.get('number', '')}",
        }
        if entry.evidence:
            review["isBasedOn"] = {"@type": "CreativeWork", "url": entry.evidence}
        reviews.append(review)
    reviews += _defect_reviews(model, base, claim_of)
    return {"@context": SCHEMA_ORG, "@graph": reviews}


_URL = re.compile(r"https?://[^\s,;)]+[^\s,;).]")


def _defect_reviews(model: Model, base: str, claim_of) -> list[dict]:
    """A ClaimReview for each claim a defect of the paper names: what is right, and the evidence.

    Only defects of substance review a claim; a citation's form or a misprint leaves what the claim
    says as it is (they are in the report's notes and in `show`).
    """
    from ..model.defects import BASES, FORM_KINDS, kind_label

    descriptor = model.package.descriptor
    creators = [{"@type": "Organization", "name": c["title"]} for c in descriptor.get("contributors") or []
                if isinstance(c, dict) and isinstance(c.get("title"), str) and "creator" in (c.get("roles") or [])]
    published = str(descriptor.get("created") or "")[:10]
    reviews = []
    for defect in model.defects:
        if defect.kind in FORM_KINDS:
            continue
        for record_id in defect.records:
            try:
                reviewed = model.claim(record_id)
            except KeyError:
                continue  # an event: ClaimReview reviews claims
            basis = BASES.get(defect.evidence_basis or "", defect.evidence_basis or "")
            review: dict[str, Any] = {
                "@type": "ClaimReview",
                "url": f"{base}#{element_id('claim-', record_id)}",
                "claimReviewed": plain(reviewed.quote),
                "reviewBody": " ".join(plain(part) for part in (
                    f"The paper: {defect.says}", f"Right: {defect.correction}",
                    f"Evidence ({basis}): {defect.evidence}", defect.evidence_source) if part),
                "reviewRating": {"@type": "Rating", "alternateName": kind_label(defect.kind),
                                 "ratingExplanation": plain(defect.correction)},
                "itemReviewed": claim_of(reviewed),
                "identifier": f"{record_id}/defect/{defect.id}",
            }
            if creators:
                review["author"] = creators[0] if len(creators) == 1 else creators
            if published:
                review["datePublished"] = published
            link = _URL.search(defect.evidence_source or "")
            if link:
                review["isBasedOn"] = {"@type": "CreativeWork", "url": link.group()}
            reviews.append(review)
    return reviews


# ---- RO-Crate ---------------------------------------------------------------------------------
def ro_crate(model: Model) -> dict:
    """An RO-Crate 1.1 metadata document (ro-crate-metadata.json) for the package directory.

    Every resource file is a data entity of the root dataset, with its size and sha256; every
    claim is a schema.org Claim with PROV provenance: prov:wasQuotedFrom the paper and
    prov:hadPrimarySource the cited work (the paper itself for the author's own figures).
    """
    from ..model.integrity import current_hashes

    package = model.package
    descriptor = package.descriptor
    hashes = current_hashes(package)
    graph: list[dict] = []
    entities: dict[str, dict] = {}

    def add(entity: dict) -> dict:
        if entity["@id"] not in entities:
            entities[entity["@id"]] = entity
            graph.append(entity)
        return {"@id": entity["@id"]}

    def agents(text: str | None) -> list[dict]:
        refs = []
        for person in _people(text):
            refs.append(add({"@id": f"#{person['@type'].lower()}-{_slug(person['name'])}", **person}))
        return refs

    licenses = {}
    for license_ in descriptor.get("licenses") or []:
        if isinstance(license_, dict) and license_.get("path"):
            licenses[license_["path"]] = license_
    root_license = next(iter(licenses), None)
    paper_name = package.config.get("paper") or "paper"
    paper_path = package.rel(paper_name) if package.has(paper_name) else None
    own = package.config.get("own_source")
    paper = model.own_source
    root: dict[str, Any] = {"@id": "./", "@type": "Dataset", "name": descriptor.get("title") or descriptor.get("name"),
                            "description": descriptor.get("description") or descriptor.get("title") or "",
                            "datePublished": descriptor.get("created") or "", "version": descriptor.get("version"),
                            "identifier": descriptor.get("id"), "keywords": descriptor.get("keywords") or [],
                            "hasPart": [], "mentions": []}
    if descriptor.get("homepage"):
        root["url"] = descriptor["homepage"]
    graph.append({"@id": "ro-crate-metadata.json", "@type": "CreativeWork", "conformsTo": {"@id": RO_CRATE_SPEC},
                  "about": {"@id": "./"}})
    graph.append(root)
    entities["./"] = root
    if root_license:
        root["license"] = add({"@id": root_license, "@type": "CreativeWork",
                               "name": licenses[root_license].get("name") or root_license,
                               "description": licenses[root_license].get("title") or ""})
    creators = [c.get("title") for c in descriptor.get("contributors") or []
                if isinstance(c, dict) and "creator" in (c.get("roles") or [])]
    if creators:
        root["creator"] = [add({"@id": f"#organization-{_slug(name)}", "@type": "Organization", "name": name})
                           for name in creators if name]
    root["hasPart"].append(add({"@id": "datapackage.json", "@type": "File", "name": "Data package descriptor",
                                "encodingFormat": "application/json",
                                "conformsTo": {"@id": "https://datapackage.org/profiles/2.0/datapackage.json"}}))
    for resource in descriptor["resources"]:
        path = str(resource.get("path"))
        digest, size = hashes[resource["name"]]
        entity: dict[str, Any] = {"@id": path, "@type": "File", "name": resource.get("title") or resource["name"],
                                  "description": resource.get("description") or "",
                                  "encodingFormat": resource.get("mediatype") or "",
                                  "contentSize": str(size), "sha256": digest.removeprefix("sha256:")}
        for license_ in resource.get("licenses") or []:
            if isinstance(license_, dict):
                license_id = license_.get("path") or f"#license-{_slug(license_.get('name') or 'license')}"
                entity["license"] = add({"@id": license_id, "@type": "CreativeWork",
                                         "name": license_.get("name") or license_id,
                                         "description": license_.get("title") or ""})
                break
        if resource["name"] == paper_name and paper:
            entity["@type"] = ["File", csl.kind(paper.type or "").schema_org]
            entity["name"] = paper.title or entity["name"]
            entity["author"] = agents(paper.author)
            if paper.issued:
                entity["datePublished"] = paper.issued
            if paper.publisher:
                entity["publisher"] = add({"@id": f"#organization-{_slug(paper.publisher)}",
                                           "@type": "Organization", "name": paper.publisher})
        root["hasPart"].append(add(entity))

    def work(source_id: str | None) -> dict | None:
        if not source_id:
            return None
        if source_id == own and paper_path:
            return {"@id": paper_path}
        source = model.sources.get(source_id)
        if source is None:
            return None
        entity: dict[str, Any] = {"@id": f"#source-{source_id}",
                                  "@type": csl.kind(source.type or "").schema_org,
                                  "name": plain(source.title) or source_id, "identifier": source_id}
        if source.author:
            entity["author"] = agents(source.author)
        if source.issued:
            entity["datePublished"] = source.issued
        if source.url:
            entity["url"] = source.url
        if source.doi:
            entity["sameAs"] = f"https://doi.org/{source.doi}"
        if source.container_title:
            entity["isPartOf"] = add({"@id": f"#container-{_slug(source.container_title)}",
                                      "@type": "CreativeWork", "name": plain(source.container_title)})
        if source.publisher:
            entity["publisher"] = add({"@id": f"#organization-{_slug(source.publisher)}",
                                       "@type": "Organization", "name": source.publisher})
        if source.page:
            entity["pagination"] = source.page
        return add(entity)

    for record in model.claims:
        if not record.id:
            continue
        claim: dict[str, Any] = {"@id": f"#{element_id('claim-', record.id)}", "@type": "Claim",
                                 "identifier": record.id,
                                 "name": record.measure or record.id, "text": plain(record.quote),
                                 "description": f"{plain(record.figure)}: {number_text(record.value)} "
                                                f"{record.unit or ''} ({record.qualifier or 'exact'})",
                                 "subjectOf": {"@id": model.rel("claims")}}
        if paper_path:
            claim["prov:wasQuotedFrom"] = {"@id": paper_path}
            claim["appearance"] = {"@id": paper_path}
        primary = work(record.source_id)
        if primary:
            claim["prov:hadPrimarySource"] = primary
            claim["citation"] = primary
        if record.locator:
            claim["pagination"] = str(record.locator)
        root["mentions"].append(add(claim))
    return {"@context": [RO_CRATE_CONTEXT, {"sha256": "http://schema.org/sha256"}], "@graph": graph}
