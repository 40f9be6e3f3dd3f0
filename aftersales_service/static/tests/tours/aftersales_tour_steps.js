/** @odoo-module **/
// Steps the suite's tours share.

/**
 * The customer signs in the dialog's signature field (automatic signature,
 * adopted), then the dialog is confirmed.
 *
 * @param {string} content what the first step says
 */
export function signAndConfirmSteps(content) {
    return [
        {
            content,
            trigger: ".modal .o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            trigger: ".modal .o_web_sign_auto_button",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains(Adopt):enabled",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=signature] img.o_signature",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
    ];
}
