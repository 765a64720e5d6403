"""Imports every table module so that Base.metadata knows the whole schema."""
from models import (  # noqa: F401
    admin, attachment, draw, event, inspection, joint, organisation, plan, roster, seal, supervision,
)
from models.base import Base

metadata = Base.metadata
