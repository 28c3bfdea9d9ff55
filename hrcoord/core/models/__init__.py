"""Record types. MODELS maps a type name to its Model; `model_for` finds the type of a data path."""
from __future__ import annotations

from hrcoord.core.models.action_plan import ACTION_PLAN, MEASURE
from hrcoord.core.models.base import Field, Model, Record
from hrcoord.core.models.hearing import HEARING
from hrcoord.core.models.judgment import JUDGMENT
from hrcoord.core.models.meeting import MEETING
from hrcoord.core.models.network import NETWORK
from hrcoord.core.models.settings import SETTINGS as SETTINGS_MODEL
from hrcoord.core.models.submission import SUBMISSION
from hrcoord.core.models.vocab import CONVENTIONS, ORGANISATION, TAXONOMY

MODELS: dict[str, Model] = {
    m.type: m
    for m in (ORGANISATION, CONVENTIONS, TAXONOMY, NETWORK, JUDGMENT, MEETING, SUBMISSION, ACTION_PLAN, MEASURE,
              HEARING)
}
VOCAB_FILES = {"organisation.yaml": ORGANISATION, "conventions.yaml": CONVENTIONS, "taxonomy.yaml": TAXONOMY}
# folder under data/ -> (model, depth of the record file below that folder)
FOLDERS = {
    "networks": (NETWORK, 1),
    "judgments": (JUDGMENT, 2),
    "meetings": (MEETING, 2),
    "submissions": (SUBMISSION, 2),
    "action-plans": (ACTION_PLAN, 1),
    "measures": (MEASURE, 2),
    "hearings": (HEARING, 1),
}


def model_for(parts: tuple[str, ...]) -> Model | None:
    """The model of a file, from its path parts below data/ (None: not a record location)."""
    if len(parts) == 1:
        return VOCAB_FILES.get(parts[0])
    entry = FOLDERS.get(parts[0])
    if entry is None:
        return None
    model, depth = entry
    if len(parts) != depth + 1:
        return None
    suffix = ".md" if model.markdown else ".yaml"
    return model if parts[-1].endswith(suffix) else None


__all__ = ["FOLDERS", "MODELS", "SETTINGS_MODEL", "VOCAB_FILES", "Field", "Model", "Record", "model_for"]
