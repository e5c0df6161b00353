//! The one `di.xml` argument the engine reads: WebapiSecurity's list of routes that
//! `allow_insecure` opens (spec §5).

use super::dom::{self, SourceMap, XmlLimits};
use crate::diag::Diagnostic;

const PLUGIN: &str = "Magento\\WebapiSecurity\\Model\\Plugin\\AnonymousResourceSecurity";

/// The `name`s of the `<item>`s of argument `resources` of the
/// `AnonymousResourceSecurity` type, in document order.
pub(crate) fn insecure_routes(name: &str, xml: &str) -> Result<Vec<String>, Diagnostic> {
    let mut map = SourceMap::default();
    let file = map.add(name, xml);
    let root = dom::parse(xml, file, &map, XmlLimits::default())?;
    let arg = root
        .elements()
        .filter(|t| {
            t.name == "type" && t.attr("name").map(|n| n.trim_start_matches('\\')) == Some(PLUGIN)
        })
        .flat_map(|t| t.elements().filter(|e| e.name == "arguments"))
        .flat_map(|a| a.elements().filter(|e| e.name == "argument"))
        .find(|a| a.attr("name") == Some("resources"));
    let Some(arg) = arg else {
        return Err(Diagnostic::error(
            "no-insecure-list",
            format!("{name} has no `resources` argument for {PLUGIN}"),
        )
        .at(map.locate(root.pos))
        .help("pass Magento/WebapiSecurity/etc/di.xml"));
    };
    Ok(arg
        .elements()
        .filter(|i| i.name == "item")
        .filter_map(|i| i.attr("name").map(str::to_string))
        .collect())
}
