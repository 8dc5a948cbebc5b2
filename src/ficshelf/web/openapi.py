"""The OpenAPI 3.1 description of ``/api/`` (hand-written, checked by the tests
against the app's routes).

>>> spec = openapi_spec()
>>> spec["openapi"], sorted(spec["paths"])[:2]
('3.1.0', ['/api/import', '/api/openapi.json'])
"""

from __future__ import annotations

import copy
from typing import Any, Final

__all__ = ["SEARCH_PARAMETERS", "openapi_spec"]


def _q(name: str, description: str, *, schema: dict[str, Any] | None = None,
       repeat: bool = False) -> dict[str, Any]:
    s = schema or {"type": "string"}
    if repeat:
        return {"name": name, "in": "query", "description": description, "required": False,
                "schema": {"type": "array", "items": s}, "style": "form", "explode": True}
    return {"name": name, "in": "query", "description": description, "required": False,
            "schema": s}


SEARCH_PARAMETERS: Final = [
    _q("q", "AO3's inline search syntax and full-text words, e.g. `dragons words>1000 "
            "fandom:\"Sherlock (TV)\" -tag:Angst`"),
    _q("inc", "A tag to include, `kind:Tag` (all must match)", repeat=True),
    _q("exc", "A tag to exclude, `kind:Tag` (any one drops a work)", repeat=True),
    _q("other_inc", "More tags to include, comma-separated"),
    _q("other_exc", "More tags to exclude, comma-separated"),
    _q("rating", "Include works with this rating (any of them)", repeat=True),
    _q("warning", "Include works with this archive warning (any of them)", repeat=True),
    _q("category", "Include works in this category (any of them)", repeat=True),
    _q("words_from", "Fewest words (1000, 1,000 or 1k)"),
    _q("words_to", "Most words"),
    _q("date_from", "Updated on or after (YYYY-MM-DD, YYYY-MM or YYYY)"),
    _q("date_to", "Updated on or before"),
    _q("complete", "T: complete works only; F: works in progress only",
       schema={"type": "string", "enum": ["T", "F"]}),
    _q("lang", "Language, as a name or a code"),
    _q("sort", "Sort key", schema={"type": "string", "enum": [
        "best", "title", "author", "published", "updated", "words", "kudos", "hits", "bookmarks",
        "comments"]}),
    _q("order", "Sort direction (default: the key's natural one)",
       schema={"type": "string", "enum": ["asc", "desc"]}),
    _q("page", "Page number, from 1", schema={"type": "integer", "minimum": 1}),
    _q("per_page", "Works per page", schema={"type": "integer", "minimum": 1, "maximum": 200}),
    _q("blocked", "`show` to include works with blocked tags",
       schema={"type": "string", "enum": ["show"]}),
]

_ERROR = {"description": "An error, with a one-line message",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_WORK_ID = {"name": "work_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CSRF = {"name": "X-CSRF-Token", "in": "header", "required": False,
         "description": "The token from GET /api/session (not needed with a Bearer password)",
         "schema": {"type": "string"}}


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


_SPEC: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "ficshelf",
        "version": "1",
        "description": "A local fan-fiction library: its works, AO3-style search, tags and import. "
                       "When the library has a password, send it as `Authorization: Bearer ...` "
                       "(or HTTP Basic with any user name).",
    },
    "paths": {
        "/api/works": {"get": {
            "summary": "List works (library page parameters, no facet counts)",
            "operationId": "listWorks", "parameters": SEARCH_PARAMETERS,
            "responses": {"200": {"description": "A page of works", "content": _json("SearchResult")},
                          "400": _ERROR}}},
        "/api/works/{work_id}": {"get": {
            "summary": "One work: metadata, chapters, what ficshelf inferred (when analysed) "
                       "and the reading position",
            "operationId": "getWork",
            "parameters": [_WORK_ID, _q("text", "true to include chapter text",
                                        schema={"type": "boolean"})],
            "responses": {"200": {"description": "The work", "content": _json("Work")},
                          "404": _ERROR}}},
        "/api/works/{work_id}/analysis": {"get": {
            "summary": "What ficshelf inferred about a work (characters, relationships, tags, "
                       "arc), with evidence",
            "operationId": "getAnalysis",
            "parameters": [_WORK_ID, _q("compute", "true: analyse now when not cached",
                                        schema={"type": "boolean"})],
            "responses": {"200": {"description": "The analysis state", "content": _json("Analysis")},
                          "404": _ERROR}}},
        "/api/works/{work_id}/position": {"post": {
            "summary": "Remember the reading position in a chapter",
            "operationId": "savePosition", "parameters": [_WORK_ID, _CSRF],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["chapter"],
                    "properties": {"chapter": {"type": "integer"},
                                   "block": {"type": "integer", "minimum": 0},
                                   "offset": {"type": "number", "minimum": 0, "maximum": 1},
                                   "pos": {"type": "string", "description": "block.fraction"}}}}}},
            "responses": {"200": {"description": "Saved", "content": {"application/json": {
                "schema": {"type": "object"}}}}, "400": _ERROR, "403": _ERROR, "404": _ERROR}}},
        "/api/search": {"get": {
            "summary": "Search with AO3's semantics; facet counts over all results",
            "operationId": "search",
            "parameters": [*SEARCH_PARAMETERS, _q("facets", "false to skip facet counts",
                                                  schema={"type": "boolean"})],
            "responses": {"200": {"description": "A page of results", "content": _json("SearchResult")},
                          "400": _ERROR}}},
        "/api/tags": {"get": {
            "summary": "Canonical tags, most used first",
            "operationId": "listTags",
            "parameters": [
                _q("kind", "Tag type", schema={"type": "string", "enum": [
                    "rating", "warning", "category", "fandom", "relationship", "character",
                    "freeform"]}),
                _q("prefix", "Start of the tag or of any synonym"),
                _q("limit", "Most tags returned", schema={"type": "integer", "minimum": 1,
                                                          "maximum": 1000})],
            "responses": {"200": {"description": "Tags", "content": _json("TagList")},
                          "400": _ERROR}}},
        "/api/import": {"post": {
            "summary": "Import files (multipart `files`, one or many) or pasted AO3 page text",
            "operationId": "importWorks", "parameters": [_CSRF],
            "requestBody": {"required": True, "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "files": {"type": "array", "items": {"type": "string",
                                                         "contentMediaType": "application/octet-stream"}},
                    "text": {"type": "string"}}}},
                "application/json": {"schema": {"type": "object", "required": ["text"],
                                                "properties": {"text": {"type": "string"},
                                                               "filename": {"type": "string"}}}}}},
            "responses": {"200": {"description": "What happened to each file",
                                  "content": _json("ImportReport")},
                          "400": _ERROR, "403": _ERROR, "413": _ERROR,
                          "422": {"description": "Every file was rejected",
                                  "content": _json("ImportReport")}}}},
        "/api/session": {"get": {
            "summary": "A CSRF token for this client (sets its cookie)",
            "operationId": "session",
            "responses": {"200": {"description": "The token", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "csrf_token": {"type": "string"}, "header": {"type": "string"},
                    "cookie": {"type": "string"}}}}}}}}},
        "/api/status": {"get": {
            "summary": "The library's size and whether its background indexes are ready",
            "operationId": "status",
            "responses": {"200": {"description": "Status", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "works": {"type": "integer"},
                    "similar": {"type": "string", "enum": ["ready", "building", "unavailable"]},
                    "facets": {"type": "string", "enum": ["inline", "background"]},
                    "analysis": {"type": "string", "enum": ["background", "inline", "off"]},
                    "password": {"type": "boolean"}}}}}}}}},
        "/api/openapi.json": {"get": {
            "summary": "This description", "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1 document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "required": ["error", "status"], "properties": {
                "error": {"type": "string"}, "status": {"type": "integer"}}},
            "Tags": {"type": "object", "properties": {
                "rating": {"type": ["string", "null"]},
                **{k: {"type": "array", "items": {"type": "string"}} for k in (
                    "warnings", "categories", "fandoms", "relationships", "characters",
                    "freeforms")}}},
            "WorkSummary": {"type": "object", "required": ["id", "title"], "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"},
                "authors": {"type": "array", "items": {"type": "string"}},
                "summary": {"type": ["string", "null"]}, "language": {"type": ["string", "null"]},
                "published": {"type": ["string", "null"], "format": "date"},
                "updated": {"type": ["string", "null"], "format": "date"},
                "complete": {"type": ["boolean", "null"]},
                "chapter_count": {"type": ["integer", "null"]},
                "chapters_expected": {"type": ["integer", "null"]},
                "words": {"type": ["integer", "null"]},
                "tags": {"$ref": "#/components/schemas/Tags"},
                "stats": {"type": "object"}, "series": {"type": "array"},
                "snippet": {"type": ["string", "null"],
                            "description": "Safe HTML; matches in <mark>"},
                "links": {"type": "object"}}},
            "Work": {"allOf": [{"$ref": "#/components/schemas/WorkSummary"}, {
                "type": "object", "properties": {
                    "chapters": {"type": "array", "items": {"type": "object"}},
                    "inferred": {"type": "object"}, "position": {"type": "object"}}}]},
            "SearchResult": {"type": "object", "required": ["total", "page", "per_page", "works"],
                             "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "pages": {"type": "integer"},
                "ranked_only": {"type": ["integer", "null"], "description":
                                "When set, only this many (the newest) matches were ranked by "
                                "relevance and come first; add rank:all to the query to rank all."},
                "works": {"type": "array", "items": {"$ref": "#/components/schemas/WorkSummary"}},
                "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {
                    "type": "object", "properties": {"tag": {"type": "string"},
                                                     "works": {"type": "integer"}}}}}}},
            "TagList": {"type": "object", "properties": {"tags": {"type": "array", "items": {
                "type": "object", "properties": {"kind": {"type": "string"},
                                                 "tag": {"type": "string"},
                                                 "works": {"type": "integer"}}}}}},
            "Analysis": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["ready", "pending", "failed", "unavailable"]},
                "inferred": {"type": ["object", "null"]}, "error": {"type": ["string", "null"]}}},
            "ImportReport": {"type": "object", "properties": {
                "outcomes": {"type": "array", "items": {"type": "object", "properties": {
                    "source": {"type": "string"},
                    "status": {"type": "string", "enum": ["added", "updated", "unchanged",
                                                          "rejected"]},
                    "work_id": {"type": ["integer", "null"]}, "title": {"type": ["string", "null"]},
                    "error": {"type": ["string", "null"]}, "link": {"type": ["string", "null"]}}}},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}},
        },
        "securitySchemes": {
            "password": {"type": "http", "scheme": "bearer",
                         "description": "The password given to `ficshelf serve --password`"},
            "basic": {"type": "http", "scheme": "basic"},
        },
    },
}


def openapi_spec() -> dict[str, Any]:
    """A fresh copy of the description."""
    return copy.deepcopy(_SPEC)
