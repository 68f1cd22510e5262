"""The registers that can be exported and imported, by name."""

from .base import ImportOutcome, ImportRefused, Register
from .docking import DockingRegister
from .leadership import LeadershipRegister
from .movements import MovementRegister
from .persons import PersonRegister
from .units import UnitRegister

REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        UnitRegister(),
        PersonRegister(),
        MovementRegister(),
        DockingRegister(),
        LeadershipRegister(),
    )
}


def get_register(name: str) -> Register:
    """The register called ``name``; KeyError if there is none."""
    return REGISTERS[name]


__all__ = ["REGISTERS", "ImportOutcome", "ImportRefused", "Register", "get_register"]
