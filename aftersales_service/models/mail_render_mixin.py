from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval


class MailRenderMixin(models.AbstractModel):
    """Batch rendering of the suite's own templates (issue 18)."""

    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(self, template_src, model, res_ids, add_context=None, options=None):
        """With ``aftersales_render_once`` in the context (the ticket acknowledgement,
        rendered for a whole intake batch, as superuser): the QWeb body is compiled
        once for all the records instead of once per record, as Odoo does for a
        body kept on the template (compiling it cost more than rendering it).
        Anything else, and any restricted rendering, goes through Odoo's own."""
        if (
            not self.env.context.get("aftersales_render_once")
            or len(res_ids) < 2
            or not (self.env.su or self.env.is_admin())
            or not template_src
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        qweb = self.env["ir.qweb"].with_context(**(options or {}))
        template = html.fragment_fromstring(template_src, create_parent="div")
        functions = def_name = None
        results = {}
        for record in self.env[model].browse(res_ids):
            values = dict(variables, object=record)
            # What ir.qweb._render does, but the compiled template is kept.
            env_qweb = qweb._prepare_environment(values)
            safe_eval.check_values(values)
            if functions is None:
                functions, def_name = env_qweb._compile(template)
            rendered = Markup("".join(functions[def_name](env_qweb, values)))
            # remove the <div> wrapping the nodes, as Odoo does
            results[record.id] = rendered[5:-6]
        return results
