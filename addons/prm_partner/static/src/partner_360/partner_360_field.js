import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Partner 360: draws the sections of ``res.partner._prm_partner_360_data()``
 * (tier progress, pipeline, earnings, documents, onboarding). Every figure
 * opens the records behind it through the ``action_prm_*`` method it names.
 */
export class Partner360Field extends Component {
    static template = "prm_partner.Partner360Field";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get sections() {
        const sections = this.props.record.data[this.props.name]?.sections || [];
        return [...sections].sort((a, b) => a.sequence - b.sequence);
    }

    async open(target) {
        if (!target) {
            return;
        }
        const record = this.props.record;
        if (!(await record.save())) {
            return;
        }
        const action = await this.orm.call(
            record.resModel,
            target.method,
            [[record.resId]],
            target.kwargs || {}
        );
        await this.action.doAction(action);
    }
}

registry.category("fields").add("prm_partner_360", {
    component: Partner360Field,
    supportedTypes: ["json"],
});
