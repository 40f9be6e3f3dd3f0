import { useEffect, useRef } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { FloatTimeField, floatTimeField } from "@web/views/fields/float_time/float_time_field";
import { parseFloatTime } from "@web/views/fields/parsers";

/**
 * A duration field whose value reaches the record while it is being typed (after a
 * short pause), not only when the input loses the focus: the extension wizard
 * previews the new deadline as the supervisor types the hours.
 */
export class LiveFloatTimeField extends FloatTimeField {
    setup() {
        super.setup();
        const input = useRef("numpadDecimal");
        const push = useDebounced(() => this.pushTypedValue(input.el), 300);
        useEffect(
            (el) => {
                if (!el) {
                    return;
                }
                el.addEventListener("input", push);
                return () => el.removeEventListener("input", push);
            },
            () => [input.el]
        );
    }

    async pushTypedValue(el) {
        if (!el || !el.value.trim()) {
            return;
        }
        let value;
        try {
            value = parseFloatTime(el.value);
        } catch {
            return; // not a duration yet: the usual check runs when the input is left
        }
        if (value !== this.props.record.data[this.props.name]) {
            await this.props.record.update({ [this.props.name]: value });
        }
    }
}

registry.category("fields").add("aftersales_live_float_time", {
    ...floatTimeField,
    component: LiveFloatTimeField,
});
