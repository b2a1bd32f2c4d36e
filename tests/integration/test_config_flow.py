"""Config flow: happy path, every error with recovery in the same flow, and the single-instance abort."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.darkstar.const import CONF_MAX_CHARGE, CONF_PRICE_ENTITY, CONF_SOC_ENTITY, DOMAIN

from .conftest import OPTIONS, set_inputs

pytestmark = pytest.mark.usefixtures("bypass_setup")


async def test_user_flow_creates_entry(hass: HomeAssistant) -> None:
    """Valid entities create an entry holding the choices in its options."""
    set_inputs(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], OPTIONS)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Darkstar"
    assert result["data"] == {}
    assert result["options"] == OPTIONS


@pytest.mark.parametrize(
    ("field", "state", "attributes", "error"),
    [
        (CONF_PRICE_ENTITY, None, None, "entity_not_found"),
        (CONF_PRICE_ENTITY, "0.1", {"unit_of_measurement": "EUR"}, "unit_not_price"),
        (CONF_SOC_ENTITY, "50", {"unit_of_measurement": "kWh"}, "unit_not_percent"),
        ("pv_forecast_entity", "5", {"unit_of_measurement": "W"}, "unit_not_energy"),
        ("load_entity", "5", {}, "unit_not_energy"),
    ],
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant, field: str, state: str | None, attributes: dict | None, error: str
) -> None:
    """A bad entity gets a translated error on its field; fixing it creates the entry."""
    set_inputs(hass)
    entity_id = OPTIONS[field]
    if state is None:
        hass.states.async_remove(entity_id)
    else:
        hass.states.async_set(entity_id, state, attributes)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})

    result = await hass.config_entries.flow.async_configure(result["flow_id"], OPTIONS)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}

    set_inputs(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], OPTIONS)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_zero_charge_power_is_rejected(hass: HomeAssistant) -> None:
    """A battery with capacity but no charge power is refused, then accepted once fixed."""
    set_inputs(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**OPTIONS, CONF_MAX_CHARGE: 0}
    )
    assert result["errors"] == {CONF_MAX_CHARGE: "power_must_be_positive"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], OPTIONS)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_second_entry_aborts(hass: HomeAssistant) -> None:
    """Only one Darkstar can be set up."""
    MockConfigEntry(domain=DOMAIN, data={}, options=OPTIONS).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"
