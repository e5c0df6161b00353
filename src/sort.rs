//! One small stable sort for the whole crate.
//!
//! The standard library's sorts are generic: every element type and comparator gets a
//! few kilobytes of its own code in the WebAssembly module. Sorting here is rare and
//! small (routes and ACL nodes at load time, a request's parameters per signature), so
//! every sort goes through one index-based merge sort with a dynamic comparator,
//! compiled once. It is stable and, unlike `slice::sort_by`, never panics on a
//! comparator that is not a total order: PHP 8's comparison of mixed numeric and
//! non-numeric keys is not transitive (found by the `oauth` fuzz target;
//! `manual::magento_quirks`).

use std::cmp::Ordering;

/// The stable order of `n` items under `cmp`, which compares items by index: the
/// indices, smallest item first, equal items in their original order.
pub(crate) fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let mut a: Vec<u32> = (0..n as u32).collect();
    if n <= SMALL {
        // Insertion: each item moves left past the strictly greater ones.
        for i in 1..n {
            let mut j = i;
            while j > 0 && cmp(a[j] as usize, a[j - 1] as usize) == Ordering::Less {
                a.swap(j, j - 1);
                j -= 1;
            }
        }
        return a;
    }
    let mut b = vec![0u32; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // The right run goes first only when strictly smaller: stable.
                if cmp(a[j] as usize, a[i] as usize) == Ordering::Less {
                    b[k] = a[j];
                    j += 1;
                } else {
                    b[k] = a[i];
                    i += 1;
                }
                k += 1;
            }
            b[k..k + mid - i].copy_from_slice(&a[i..mid]);
            k += mid - i;
            b[k..k + hi - j].copy_from_slice(&a[j..hi]);
            lo = hi;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Up to this many items an insertion sort is used: no buffer, fewest steps (a
/// request's parameters, the candidates of one path).
const SMALL: usize = 16;

/// Sort `v` stably by `cmp`.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() <= SMALL {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && cmp(&v[j], &v[j - 1]) == Ordering::Less {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let order = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i as usize).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same result as the standard library's stable sort, for any input.
        #[test]
        fn matches_the_standard_stable_sort(v in proptest::collection::vec((0u8..8, 0u16..1000), 0..300)) {
            // Both algorithms: insertion up to SMALL items, merging above.
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std_sorted = v.clone();
            std_sorted.sort_by_key(|a| a.0);
            proptest::prop_assert_eq!(ours, std_sorted);
        }

        /// A comparator that is not an order (random answers) still yields a
        /// permutation, never a panic.
        #[test]
        fn inconsistent_comparators_give_a_permutation(n in 0usize..200, seed in 0u64..u64::MAX) {
            let mut state = seed | 1;
            let mut o = order(n, &mut |_, _| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                [Ordering::Less, Ordering::Equal, Ordering::Greater][(state % 3) as usize]
            });
            o.sort_unstable();
            proptest::prop_assert_eq!(o, (0..n as u32).collect::<Vec<_>>());
        }
    }

    #[test]
    fn equal_items_keep_their_order() {
        let mut v = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd'), (2, 'e'), (0, 'f')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            v,
            [(0, 'b'), (0, 'd'), (0, 'f'), (1, 'a'), (1, 'c'), (2, 'e')]
        );
        assert!(order(0, &mut |_, _| Ordering::Equal).is_empty());
    }
}
