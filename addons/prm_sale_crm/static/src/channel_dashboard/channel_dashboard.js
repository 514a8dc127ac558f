import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Channel dashboard: revenue share of the channel, routing and deal figures,
 * top partners and partners with traffic but no sales, for a period of whole
 * months. Every figure comes from prm.channel.report.get_prm_channel_dashboard
 * (one call); rows and buttons open the matching analysis.
 */
export class ChannelDashboard extends Component {
    static template = "prm_sale_crm.ChannelDashboard";
    static components = { ControlPanel };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        const context = this.props.action.context || {};
        this.state = useState({
            period: context.prm_period || "3months",
            threshold: context.prm_threshold || null,
            data: null,
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "prm.channel.report",
            "get_prm_channel_dashboard",
            [],
            { period: this.state.period, threshold: this.state.threshold }
        );
        this.state.threshold = this.state.data.threshold;
    }

    // --- Formatting ---

    money(value) {
        if (value === null || value === false || value === undefined) {
            return "—";
        }
        return formatMonetary(value, {
            currencyId: this.state.data.currency_id,
            digits: [16, 0],
        });
    }

    integer(value) {
        return formatInteger(value || 0);
    }

    /** Ratios without denominator come as null: nothing to compare. */
    percent(value) {
        return value === null || value === false || value === undefined
            ? "—"
            : `${formatFloat(value, { digits: [16, 1] })} %`;
    }

    hours(value) {
        return value === null || value === false || value === undefined
            ? "—"
            : `${formatFloat(value, { digits: [16, 1] })} h`;
    }

    monthLabel(date) {
        return formatDate(deserializeDate(date), { format: "MMM yy" });
    }

    monthTitle(month) {
        return _t("%(revenue)s, %(routed)s leads routed, %(won)s won", {
            revenue: this.money(month.revenue),
            routed: this.integer(month.offer_count),
            won: this.integer(month.won_count),
        });
    }

    get barMax() {
        return Math.max(1, ...this.state.data.months.map((month) => month.revenue));
    }

    /** Revenue axis: the top of the scale, its half and 0. */
    get axisTicks() {
        const max = this.barMax;
        return [max, max / 2, 0].map((value) => this.money(value));
    }

    barHeight(month) {
        return `${Math.max(0, Math.round((100 * month.revenue) / this.barMax))}%`;
    }

    // --- Handlers ---

    async onPeriodChange(ev) {
        this.state.period = ev.target.value;
        await this.load();
    }

    async onThresholdChange(ev) {
        const threshold = parseInt(ev.target.value, 10);
        if (!(threshold >= 1)) {
            this.notification.add(_t("The threshold is a number of leads: at least 1."), {
                type: "danger",
            });
            ev.target.value = this.state.threshold;
            return;
        }
        this.state.threshold = threshold;
        await this.load();
    }

    async openAction(method, kwargs) {
        const action = await this.orm.call("prm.channel.report", method, [], kwargs);
        return this.action.doAction(action);
    }

    openAnalysis() {
        return this.openAction("action_prm_open_period", { period: this.state.period });
    }

    openPartner(partner) {
        return this.openAction("action_prm_open_period", {
            period: this.state.period,
            partner_id: partner.id,
            view: "list",
        });
    }

    /**
     * The list of the records a number counts (offers, leads, invoices), with
     * the report's own rules: see get_prm_channel_dashboard's figures.
     */
    openFigure(figure, { partner = null, month = null } = {}) {
        return this.openAction("action_prm_open_figure", {
            figure,
            period: this.state.period,
            partner_id: partner ? partner.id : null,
            month,
        });
    }

    openTrafficWithoutSales() {
        return this.openAction("action_prm_open_traffic_without_sales", {
            period: this.state.period,
            threshold: this.state.threshold,
        });
    }
}

registry.category("actions").add("prm_channel_dashboard", ChannelDashboard);
