//! A tiny XML DOM with source positions, built on quick-xml.
//!
//! Magento merges its configuration files at the DOM level (spec §1.3), so the loader
//! keeps a document tree — elements, text and "other" nodes (comments, processing
//! instructions) — and merges trees before converting them. Every element remembers
//! the file and byte offset it came from so that diagnostics can name a line and column.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::diag::{Diagnostic, Location};

/// Byte offset of an element's `<` in file number `file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub file: u32,
    pub offset: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
    /// Comments and processing instructions: they count as child nodes for Magento's
    /// "is this a text node" test, and carry no data.
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    pub pos: Pos,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value.to_string(),
            None => self.attrs.push(Attr {
                name: name.to_string(),
                value: value.to_string(),
            }),
        }
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// PHP `DOMNode::nodeValue` / `textContent`: all descendant text, concatenated.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        fn walk(e: &Element, out: &mut String) {
            for n in &e.children {
                match n {
                    Node::Text(t) => out.push_str(t),
                    Node::Element(c) => walk(c, out),
                    Node::Other => {}
                }
            }
        }
        walk(self, &mut out);
        out
    }

    /// Magento `Dom::_isTextNode`: exactly one child node, and it is text (or CDATA).
    pub fn is_text_node(&self) -> bool {
        matches!(self.children.as_slice(), [Node::Text(_)])
    }
}

/// Source texts by file number, with lazily computed line tables.
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    files: Vec<(String, Vec<u32>, String)>,
}

impl SourceMap {
    pub fn add(&mut self, name: &str, text: &str) -> u32 {
        let mut lines = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                lines.push(i as u32 + 1);
            }
        }
        self.files.push((name.to_string(), lines, text.to_string()));
        (self.files.len() - 1) as u32
    }

    pub fn locate(&self, pos: Pos) -> Location {
        let (name, lines, text) = &self.files[pos.file as usize];
        let offset = (pos.offset as usize).min(text.len());
        let line_idx = match lines.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = lines[line_idx] as usize;
        // Count characters, not bytes; the offset may sit inside a multi-byte char
        // only if quick-xml reported a mid-char error position, so be lenient.
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start)
            + 1;
        Location {
            file: name.clone(),
            line: line_idx as u32 + 1,
            column: column as u32,
        }
    }
}

/// Limits that keep a hostile file from exhausting memory or the stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XmlLimits {
    pub max_depth: usize,
    pub max_attr_bytes: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_depth: 64,
            max_attr_bytes: 64 << 10,
        }
    }
}

/// XML 1.0 attribute-value normalisation (literal tabs and line breaks become spaces)
/// followed by entity expansion, as libxml does for undeclared (CDATA) attributes.
fn attr_value(raw: &[u8]) -> Result<String, String> {
    let raw = std::str::from_utf8(raw).map_err(|_| "attribute value is not UTF-8".to_string())?;
    let normalised: String = raw
        .replace("\r\n", " ")
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    quick_xml::escape::unescape(&normalised)
        .map(|c| c.into_owned())
        .map_err(|e| format!("bad entity in attribute value: {e}"))
}

fn start_element(e: &BytesStart<'_>, pos: Pos, limits: XmlLimits) -> Result<Element, String> {
    let name = std::str::from_utf8(e.name().as_ref())
        .map_err(|_| "element name is not UTF-8".to_string())?
        .to_string();
    let mut attrs = Vec::new();
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|err| format!("bad attribute: {err}"))?;
        if a.value.len() > limits.max_attr_bytes {
            return Err(format!(
                "attribute value of {} bytes, over the limit of {}",
                a.value.len(),
                limits.max_attr_bytes
            ));
        }
        let name = std::str::from_utf8(a.key.as_ref())
            .map_err(|_| "attribute name is not UTF-8".to_string())?
            .to_string();
        let value = attr_value(&a.value)?;
        attrs.push(Attr { name, value });
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        pos,
    })
}

/// Parse one file into its root element. Errors are located diagnostics.
pub(crate) fn parse(
    text: &str,
    file: u32,
    map: &SourceMap,
    limits: XmlLimits,
) -> Result<Element, Diagnostic> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;

    let loc = |offset: u64| {
        map.locate(Pos {
            file,
            offset: offset.min(u32::MAX as u64) as u32,
        })
    };
    let syntax = |offset: u64, msg: String| {
        Diagnostic::error("xml-syntax", msg)
            .at(loc(offset))
            .help("the file must be well-formed XML; Magento refuses to load the whole configuration otherwise")
    };

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut seen_anything = false;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(syntax(reader.error_position(), e.to_string())),
        };
        let pos = Pos {
            file,
            offset: before.min(u32::MAX as u64) as u32,
        };
        match event {
            Event::Decl(_) => {
                // A BOM is skipped by quick-xml; anything else before the declaration
                // (a comment, whitespace) makes libxml refuse the document.
                if seen_anything || before > 3 || (before > 0 && !text.starts_with('\u{feff}')) {
                    return Err(syntax(
                        before,
                        "XML declaration allowed only at the start of the document".into(),
                    ));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let el = start_element(e, pos, limits).map_err(|m| syntax(before, m))?;
                if stack.is_empty() && root.is_some() {
                    return Err(syntax(
                        before,
                        "extra content after the root element".into(),
                    ));
                }
                if stack.len() >= limits.max_depth {
                    return Err(Diagnostic::error(
                        "xml-too-deep",
                        format!("elements nested deeper than {} levels", limits.max_depth),
                    )
                    .at(loc(before)));
                }
                stack.push(el);
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root);
                }
            }
            Event::End(_) => close(&mut stack, &mut root),
            Event::Text(t) => {
                let s = t
                    .unescape()
                    .map_err(|e| syntax(before, format!("bad entity in text: {e}")))?;
                match stack.last_mut() {
                    Some(parent) => {
                        parent.children.push(Node::Text(s.replace("\r\n", "\n")));
                    }
                    None => {
                        if !s
                            .trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{feff}')
                            .is_empty()
                        {
                            return Err(syntax(before, "text outside the root element".into()));
                        }
                    }
                }
            }
            Event::CData(c) => {
                let s = std::str::from_utf8(&c)
                    .map_err(|_| syntax(before, "CDATA is not UTF-8".into()))?
                    .to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Text(s)),
                    None => return Err(syntax(before, "CDATA outside the root element".into())),
                }
            }
            Event::Comment(_) | Event::PI(_) => {
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Other);
                }
            }
            Event::DocType(_) => {
                if root.is_some() || !stack.is_empty() {
                    return Err(syntax(before, "DOCTYPE after the root element".into()));
                }
            }
            Event::Eof => break,
        }
        seen_anything = true;
    }
    if let Some(open) = stack.last() {
        return Err(syntax(
            text.len() as u64,
            format!("unexpected end of file: <{}> is not closed", open.name),
        )
        .at(map.locate(open.pos)));
    }
    root.ok_or_else(|| syntax(0, "the document has no root element".into()))
}

fn close(stack: &mut Vec<Element>, root: &mut Option<Element>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(done)),
            None => *root = Some(done),
        }
    }
}
