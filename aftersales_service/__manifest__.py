{
    "name": "After-Sales Service",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "summary": "Customer tiering, service tickets and complaints, SLA on working hours, "
    "repairs, returns, maintenance contracts, feedback and KPIs",
    "author": "After-Sales Suite Team",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": [
        "mail",
        "contacts",
        "account",
        "sale_management",
    ],
    "data": [
        "security/aftersales_service_groups.xml",
        "security/ir.model.access.csv",
        "security/aftersales_service_security.xml",
        "data/ir_cron_data.xml",
        "views/aftersales_tier_views.xml",
        "views/aftersales_need_tag_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/aftersales_service_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/aftersales_tier_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "installable": True,
    "application": True,
}
