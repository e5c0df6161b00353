//! `webapi.xml`: per-file checks, merge keys and conversion (spec §1.1–§1.3).

use serde::Serialize;

use super::dom::{Element, SourceMap};
use super::merge::IdAttrs;
use crate::diag::Diagnostic;
use crate::php;

/// One REST route after merging and conversion, as Magento's
/// `Webapi\Model\Config\Converter` produces it (spec §1.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteDef {
    /// URL template, whitespace-trimmed, not slash-normalised (`/V1/customers/:customerId`).
    pub url: String,
    /// HTTP method exactly as written in the XML (normally upper case).
    pub method: String,
    /// HTTPS only: PHP `(bool)` of the trimmed `secure` attribute, so `"false"` is true.
    pub secure: bool,
    /// `soapOperation`, trimmed, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soap_operation: Option<String>,
    /// Service interface (`service@class`).
    pub service_class: String,
    /// Service method (`service@method`).
    pub service_method: String,
    /// Resource refs in first-appearance order, duplicates collapsed, never split.
    pub resources: Vec<String>,
    /// Forced parameters (`<data><parameter>`), in document order.
    pub parameters: Vec<ParamDef>,
    /// `data@input-array-size-limit` (2.4.7), PHP int cast.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_array_size_limit: Option<i64>,
}

impl RouteDef {
    /// `Class::method`, as the decision and route listings show the service.
    pub fn service(&self) -> String {
        [&*self.service_class, "::", &self.service_method].concat()
    }
}

/// One `<data><parameter>` entry (spec §1.2 rules 4–5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamDef {
    /// Dot-separated path, e.g. `customer.id`.
    pub name: String,
    /// `filter_var(FILTER_VALIDATE_BOOLEAN)` of `force`.
    pub force: bool,
    /// Raw text content (not trimmed); `None` for the exact text `null`.
    pub value: Option<String>,
}

pub(crate) fn id_rule(path: &[&str]) -> IdAttrs {
    // Webapi\Model\Config\Reader::$_idAttributes
    match path {
        ["routes", "route"] => IdAttrs::All(&["url", "method"]),
        ["routes", "route", "resources", "resource"] => IdAttrs::One("ref"),
        ["routes", "route", "data", "parameter"] => IdAttrs::One("name"),
        _ => IdAttrs::None,
    }
}

const METHODS: [&str; 4] = ["GET", "PUT", "POST", "DELETE"];

pub(crate) fn unknown_element(e: &Element, parent: &str, map: &SourceMap) -> Diagnostic {
    Diagnostic::warning(
        "unknown-element",
        format!("unknown element <{}> inside <{parent}> is ignored", e.name),
    )
    .at(map.locate(e.pos))
}

fn unknown_attrs(e: &Element, known: &[&str], map: &SourceMap, out: &mut Vec<Diagnostic>) {
    for a in &e.attrs {
        if !known.contains(&a.name.as_str())
            && !a.name.starts_with("xmlns")
            && !a.name.starts_with("xsi:")
        {
            out.push(
                Diagnostic::warning(
                    "unknown-attribute",
                    format!("unknown attribute `{}` on <{}> is ignored", a.name, e.name),
                )
                .at(map.locate(e.pos)),
            );
        }
    }
}

fn required<'e>(
    e: &'e Element,
    attr: &str,
    map: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Option<&'e str> {
    let v = e.attr(attr);
    if v.is_none() {
        out.push(
            Diagnostic::error(
                "missing-attribute",
                format!("<{}> has no `{attr}` attribute", e.name),
            )
            .at(map.locate(e.pos))
            .help(format!("`{attr}` is required by webapi.xsd")),
        );
    }
    v
}

/// Schema-level checks on one file before it is merged (what the per-file XSD and
/// the converter would reject or silently ignore).
pub(crate) fn check_file(root: &Element, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    if root.name != "routes" {
        out.push(
            Diagnostic::error(
                "wrong-root",
                format!("a webapi.xml file has root <routes>, not <{}>", root.name),
            )
            .at(map.locate(root.pos)),
        );
        return;
    }
    for route in root.elements() {
        if route.name != "route" {
            out.push(unknown_element(route, "routes", map));
            continue;
        }
        unknown_attrs(
            route,
            &["url", "method", "secure", "soapOperation"],
            map,
            out,
        );
        required(route, "url", map, out);
        if let Some(m) = required(route, "method", map, out) {
            if !METHODS.contains(&m) {
                out.push(
                    Diagnostic::warning(
                        "unsupported-method",
                        format!("method `{m}` is not one of GET, PUT, POST, DELETE"),
                    )
                    .at(map.locate(route.pos))
                    .help(if METHODS.contains(&m.to_ascii_uppercase().as_str()) {
                        "write the method in upper case: the exact-match shortcut compares it byte for byte"
                    } else {
                        "Magento answers 405 for any other method before routing, so this route can never be called"
                    }),
                );
            }
        }
        for child in route.elements() {
            match child.name.as_str() {
                "service" => {
                    unknown_attrs(child, &["class", "method"], map, out);
                    required(child, "class", map, out);
                    required(child, "method", map, out);
                }
                "resources" => {
                    for r in child.elements() {
                        if r.name != "resource" {
                            out.push(unknown_element(r, "resources", map));
                            continue;
                        }
                        if let Some(rf) = required(r, "ref", map, out) {
                            if rf.contains(',') {
                                out.push(
                                    Diagnostic::warning(
                                        "comma-in-ref",
                                        format!("resource ref `{rf}` contains a comma and is used as one id"),
                                    )
                                    .at(map.locate(r.pos))
                                    .help("Magento does not split refs; declare one <resource> per id (they are AND-ed)"),
                                );
                            }
                        }
                    }
                }
                "data" => {
                    unknown_attrs(child, &["input-array-size-limit"], map, out);
                    for p in child.elements() {
                        if p.name != "parameter" {
                            out.push(unknown_element(p, "data", map));
                            continue;
                        }
                        unknown_attrs(p, &["name", "force", "source", "method"], map, out);
                        required(p, "name", map, out);
                    }
                }
                _ => out.push(unknown_element(child, "route", map)),
            }
        }
    }
}

/// Routes keyed by (url, method) in first-appearance order. For routes that share a
/// url this is also PHP's order of `$routes[$url]` methods, which breaks ties in the
/// router's sort (see `router`).
#[derive(Debug, Default)]
pub(crate) struct RouteTable {
    pub routes: Vec<RouteDef>,
}

/// Convert the merged document (spec §1.2).
pub(crate) fn convert(root: &Element, map: &SourceMap, out: &mut Vec<Diagnostic>) -> RouteTable {
    let mut table = RouteTable::default();
    // "METHOD url" → route position (the one map type of the crate, see fasthash).
    let mut by_key: crate::fasthash::FastMap<String, u32> = Default::default();
    for route in root.elements().filter(|e| e.name == "route") {
        let (Some(url), Some(method)) = (route.attr("url"), route.attr("method")) else {
            continue; // reported by check_file
        };
        let url = php::trim(url).to_string();
        let method = method.to_string();
        let Some(service) = route.elements().find(|e| e.name == "service") else {
            out.push(
                Diagnostic::error("missing-service", format!("route {method} {url} has no <service>"))
                    .at(map.locate(route.pos))
                    .help("the merged configuration requires a <service class=… method=…/>; Magento fails to load without it"),
            );
            continue;
        };
        let (Some(class), Some(smethod)) = (service.attr("class"), service.attr("method")) else {
            continue; // reported by check_file
        };
        let resources_nodes: Vec<&Element> =
            route.elements().filter(|e| e.name == "resources").collect();
        if resources_nodes.is_empty() {
            out.push(
                Diagnostic::error("missing-resources", format!("route {method} {url} has no <resources>"))
                    .at(map.locate(route.pos))
                    .help("add <resources><resource ref=\"…\"/></resources>; Magento fails to load without it"),
            );
            continue;
        }
        let mut refs: Vec<String> = Vec::new();
        for r in resources_nodes
            .iter()
            .flat_map(|n| n.elements())
            .filter(|e| e.name == "resource")
        {
            if let Some(rf) = r.attr("ref") {
                if !refs.iter().any(|x| x == rf) {
                    refs.push(rf.to_string());
                }
            }
        }
        if refs.is_empty() {
            out.push(
                Diagnostic::warning("no-resources", format!("route {method} {url} lists no resources"))
                    .at(map.locate(route.pos))
                    .help("an empty resource list is vacuously allowed for every caller, guests included (spec §1.4)"),
            );
        }
        let data_nodes: Vec<&Element> = route.elements().filter(|e| e.name == "data").collect();
        let input_array_size_limit = data_nodes
            .first()
            .and_then(|d| d.attr("input-array-size-limit"))
            .map(php::int_cast);
        let mut parameters: Vec<ParamDef> = Vec::new();
        for p in data_nodes
            .iter()
            .flat_map(|n| n.elements())
            .filter(|e| e.name == "parameter")
        {
            let Some(name) = p.attr("name") else { continue };
            let text = p.text_content();
            let def = ParamDef {
                name: name.to_string(),
                force: p.attr("force").map(php::filter_bool).unwrap_or(false),
                value: if text == "null" { None } else { Some(text) },
            };
            match parameters.iter_mut().find(|x| x.name == def.name) {
                Some(existing) => *existing = def,
                None => parameters.push(def),
            }
        }
        let def = RouteDef {
            url: url.clone(),
            method: method.clone(),
            secure: route
                .attr("secure")
                .map(|s| php::bool_cast(php::trim(s)))
                .unwrap_or(false),
            soap_operation: route
                .attr("soapOperation")
                .map(|s| php::trim(s).to_string()),
            service_class: class.to_string(),
            service_method: smethod.to_string(),
            resources: refs,
            parameters,
            input_array_size_limit,
        };
        let key = format!("{method} {url}");
        match by_key.get(&key) {
            Some(&i) => {
                out.push(
                    Diagnostic::warning(
                        "duplicate-route",
                        format!("route {method} {url} is declared twice in one file; the later declaration wins"),
                    )
                    .at(map.locate(route.pos)),
                );
                table.routes[i as usize] = def;
            }
            None => {
                by_key.insert(key, table.routes.len() as u32);
                table.routes.push(def);
            }
        }
    }
    table
}

/// Locations of every `<resource ref>` in the merged document, for the
/// "undefined ACL id" warning.
pub(crate) fn resource_refs(root: &Element) -> impl Iterator<Item = (&str, &Element)> {
    root.elements()
        .filter(|e| e.name == "route")
        .flat_map(|r| r.elements().filter(|e| e.name == "resources"))
        .flat_map(|rs| rs.elements().filter(|e| e.name == "resource"))
        .filter_map(|r| r.attr("ref").map(|v| (v, r)))
}
