"""Pydantic models built from values already known to be valid, without validating again.

pydantic's `model_construct` does this too, but it looks up aliases and defaults field by
field on every call, which costs more than validating the small models of a schedule
(several times a TimeSpan's validation). `prevalidated` sets exactly what it sets — the
field values in field order with defaults for the rest, the set of fields given, no extra
values, no private state — with the defaults read once per class. Only for values a
validator has already accepted or that are valid by construction (spans merged from valid
spans, a parser's checked minutes); tests compare the result with validated construction.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["prevalidated", "updated"]

Model = TypeVar("Model", bound=BaseModel)
_REQUIRED = object()
_set_attribute = object.__setattr__
# Per class: every field with its default (_REQUIRED where none) in field order, and the
# names of the required ones.
_TEMPLATES: dict[type[BaseModel], tuple[dict[str, Any], frozenset[str]]] = {}


def prevalidated(cls: type[Model], /, **values: Any) -> Model:
    """An instance of `cls` holding `values` (valid already) and the defaults of the rest."""
    template, required = _TEMPLATES.get(cls) or _template(cls)
    fields = template.copy()
    fields.update(values)  # keys already present keep their place: field order holds
    if len(fields) != len(template) or not required <= values.keys():
        raise TypeError(f"{cls.__name__} has no field among {sorted(values)} or lacks one")
    model = object.__new__(cls)
    _set_attribute(model, "__dict__", fields)
    _set_attribute(model, "__pydantic_fields_set__", set(values))
    _set_attribute(model, "__pydantic_extra__", None)
    _set_attribute(model, "__pydantic_private__", None)
    return model


def updated(model: Model, /, **values: Any) -> Model:
    """A copy of `model` with `values` (valid already) in place: model_copy(update=...) for less.

    Like model_copy, the fields set are the model's and the ones updated.
    """
    template, _ = _TEMPLATES.get(type(model)) or _template(type(model))
    fields = model.__dict__.copy()
    fields.update(values)
    if len(fields) != len(template):
        raise TypeError(f"{type(model).__name__} has no field among {sorted(values)}")
    copy = object.__new__(type(model))
    _set_attribute(copy, "__dict__", fields)
    _set_attribute(copy, "__pydantic_fields_set__", model.model_fields_set | values.keys())
    _set_attribute(copy, "__pydantic_extra__", None)
    _set_attribute(copy, "__pydantic_private__", None)
    return copy


def _template(cls: type[BaseModel]) -> tuple[dict[str, Any], frozenset[str]]:
    if cls.__pydantic_post_init__ or cls.__private_attributes__ or cls.__pydantic_root_model__:
        raise TypeError(f"{cls.__name__} needs model_construct (post-init or private state)")
    template = {
        name: _REQUIRED if field.is_required() else field.get_default(call_default_factory=True)
        for name, field in cls.model_fields.items()
    }
    if any(isinstance(value, (list, dict, set)) for value in template.values()):
        raise TypeError(f"{cls.__name__} has a mutable default, which instances would share")
    required = frozenset(name for name, value in template.items() if value is _REQUIRED)
    _TEMPLATES[cls] = template, required
    return template, required
