import { Component, onWillStart, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor, hexToRGBA } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { formatFloat, formatFloatTime } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * How a figure of aftersales.kpi.dashboard.get_dashboard_data reads: counts as
 * integers, shares and rates with one decimal, hours as hours and minutes (as the
 * float_time fields, the PDFs and the spreadsheets show them).
 */
export function formatFigure(value, kind) {
    if (value === null || value === undefined || value === false) {
        return _t("No data");
    }
    switch (kind) {
        case "count":
            return String(value);
        case "percent":
            return `${formatFloat(value, { digits: [false, 1] })} %`;
        case "hours":
            return formatFloatTime(value);
        default:
            return formatFloat(value, { digits: [false, 1] });
    }
}

/** Met and missed targets, on time and late: greens and reds. */
const STATUS_COLORS = {
    met: "#43C5B1",
    met_dark: "#00A78D",
    missed: "#EA6175",
    missed_dark: "#CE4257",
};

/** One Chart.js chart; a click on a bar, point or slice calls onPoint(dataset, index). */
export class DashboardChart extends Component {
    static template = "aftersales_service.DashboardChart";
    static props = {
        name: String,
        title: String,
        chart: Object,
        onPoint: Function,
    };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [this.props.chart]
        );
    }

    get isEmpty() {
        return !this.props.chart.datasets.some(
            (dataset) => !dataset.dashed && dataset.data.some((value) => value)
        );
    }

    color(index) {
        // The six-colour palette of Odoo's charts: blue, red, teal, orange, purple, yellow.
        return getColor(index, cookie.get("color_scheme"), 6);
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        if (!this.canvasRef.el) {
            return;
        }
        const spec = this.props.chart;
        const doughnut = spec.type === "doughnut";
        const datasets = spec.datasets.map((dataset, index) => {
            const colors = (dataset.colors || []).map((key) => STATUS_COLORS[key]);
            const color = this.color(dataset.color ?? index);
            const line = spec.type === "line";
            const target = Boolean(dataset.target);
            return {
                label: dataset.label,
                data: dataset.data,
                type: spec.type,
                backgroundColor: doughnut
                    ? colors
                    : line || target
                      ? hexToRGBA(color, 0.2)
                      : color,
                borderColor: doughnut ? colors : color,
                borderWidth: line || target ? 2 : 1,
                // Targets: the same colour, hollow and dashed, next to the figure.
                borderDash: dataset.dashed || target ? [6, 4] : undefined,
                pointRadius: dataset.dashed ? 0 : line ? 4 : undefined,
                spanGaps: true,
                fill: false,
            };
        });
        const format = (value) =>
            formatFigure(value, spec.hours ? "hours" : spec.percent ? "percent" : "count");
        const scales = doughnut
            ? {}
            : {
                  [spec.horizontal ? "x" : "y"]: {
                      beginAtZero: true,
                      max: spec.percent ? 100 : undefined,
                      ticks: { callback: (value) => format(value), precision: 0 },
                  },
              };
        this.chart = new Chart(this.canvasRef.el, {
            type: spec.type,
            data: { labels: spec.labels, datasets },
            options: {
                maintainAspectRatio: false,
                indexAxis: spec.horizontal ? "y" : "x",
                scales,
                plugins: {
                    legend: { display: doughnut || datasets.length > 1, position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (item) => `${item.dataset.label}: ${format(item.raw)}`,
                        },
                    },
                },
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.props.onPoint(elements[0].datasetIndex, elements[0].index);
                    }
                },
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length ? "pointer" : "default";
                },
            },
        });
    }
}

/**
 * The service dashboard (P9.2): read-only KPI cards and charts of the current
 * company for a period and a team, each opening the records it counts.
 */
export class ServiceDashboard extends Component {
    static template = "aftersales_service.ServiceDashboard";
    static components = { Layout, DashboardChart };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.keepLast = new KeepLast();
        const saved = this.props.state || {};
        this.state = useState({
            period: saved.period || "quarter",
            teamId: saved.teamId || false,
            dateFrom: saved.dateFrom || "",
            dateTo: saved.dateTo || "",
            data: null,
            error: "",
        });
        this.periods = [
            ["month", _t("This Month")],
            ["quarter", _t("This Quarter")],
            ["year", _t("This Year")],
            ["custom", _t("Custom")],
        ];
        this.chartTitles = {
            channel: _t("Tickets by Channel"),
            category: _t("Tickets by Problem Category"),
            times: _t("Response and Resolution Times against Targets (working hours)"),
            satisfaction: _t("Satisfaction by Month"),
            sla: _t("SLA Targets Met and Missed"),
        };
        useSetupAction({
            getLocalState: () => ({
                period: this.state.period,
                teamId: this.state.teamId,
                dateFrom: this.state.dateFrom,
                dateTo: this.state.dateTo,
            }),
        });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
    }

    async load() {
        const { period, teamId, dateFrom, dateTo } = this.state;
        if (period === "custom" && !(dateFrom && dateTo)) {
            return;
        }
        try {
            const data = await this.keepLast.add(
                this.orm.call("aftersales.kpi.dashboard", "get_dashboard_data", [], {
                    period,
                    team_id: teamId,
                    date_from: period === "custom" ? dateFrom : false,
                    date_to: period === "custom" ? dateTo : false,
                })
            );
            this.state.error = "";
            this.state.data = data;
            this.state.dateFrom = data.date_from;
            this.state.dateTo = data.date_to;
        } catch (error) {
            if (error?.data?.message) {
                this.state.error = error.data.message;
                return;
            }
            throw error;
        }
    }

    get display() {
        return { controlPanel: {} };
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value) || false;
        await this.load();
    }

    async onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        this.state.period = "custom";
        await this.load();
    }

    formatFigure(value, kind) {
        return formatFigure(value, kind);
    }

    formatScore(value) {
        return value === null || value === undefined ? "–" : formatFloat(value, { digits: [false, 2] });
    }

    targetLabel(card) {
        if (card.target === null || card.target === undefined) {
            return "";
        }
        const target = formatFigure(card.target, card.kind);
        return card.target_higher ? _t("Target ≥ %s", target) : _t("Target ≤ %s", target);
    }

    statusClass(card) {
        return {
            met: "text-bg-success",
            missed: "text-bg-danger",
            none: "text-bg-light",
        }[card.status];
    }

    statusLabel(card) {
        return { met: _t("Met"), missed: _t("Missed"), none: _t("No data") }[card.status];
    }

    openCard(card) {
        return this.actionService.doAction(card.action);
    }

    openPoint(name, datasetIndex, index) {
        const action = this.state.data.charts[name].actions[datasetIndex]?.[index];
        if (action) {
            return this.actionService.doAction(action);
        }
    }
}

registry.category("actions").add("aftersales_dashboard", ServiceDashboard);
