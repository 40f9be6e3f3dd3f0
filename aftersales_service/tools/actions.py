"""Window actions the suite's buttons return (form of one record, list of some,
a wizard in a dialog), built in one place instead of hand-written dicts."""


def window_action(
    res_model,
    res_id=None,
    *,
    name=None,
    view_mode="form",
    views=None,
    domain=None,
    context=None,
    target=None,
):
    """An ``ir.actions.act_window`` on ``res_model``.

    ``res_id`` opens that record (``False`` too: an empty form); ``views``, a
    sequence of view types, replaces ``view_mode`` by explicit default views;
    ``target="new"`` opens a dialog (a wizard). Keys left at ``None`` are not set,
    so the web client applies its own defaults.
    """
    action = {"type": "ir.actions.act_window", "res_model": res_model}
    if views is not None:
        action["views"] = [(False, view) for view in views]
    else:
        action["view_mode"] = view_mode
    optional = {
        "name": name,
        "res_id": res_id,
        "domain": domain,
        "context": context,
        "target": target,
    }
    action.update((key, value) for key, value in optional.items() if value is not None)
    return action
