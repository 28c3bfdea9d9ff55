"""The portal export (`hrcoord publish`, SPEC §3, §5, §7), one module per job:

    appears.py   which summaries appear, and the gate that refuses a publish (validation,
                 review stamps, the personal-data guard)
    views.py     a summary as plain view data (what a page, a list, the feed and the JSON need)
    indexes.py   the index pages: all summaries, by convention and article, by relevance area
    feed.py      the Atom feed of the latest changes
    exports.py   summaries.json and the fallback search data, assembled from ranges (splice)
    search.py    the search index (Pagefind) and the fields it indexes
    render.py    reading and rendering on all cores (hrcoord.core.pool)
    state.py     what an incremental publish starts from
    site.py      the site folder: staging, the all-or-nothing swap, stale leftovers
    publish.py   the orchestrator: build() and publish()

(`from hrcoord.caselaw.portal.publish import publish`: the package itself exports nothing, so
that its module names stay the modules.)
"""
