// The HTTP look-ups beside the WebSocket: postal-code check and the région/département lists.

/**
 * Look up a postal code.
 * Returns {dept, dept_name, region} when it exists, null when the server says 404,
 * and throws on network trouble or any other status (the caller then shows nothing).
 */
export async function lookupPostcode(code, signal) {
  const response = await fetch(`/api/postcode/${encodeURIComponent(code)}`, {
    signal,
    headers: { Accept: "application/json" },
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`postcode lookup: HTTP ${response.status}`);
  return response.json();
}

let geoPromise = null;

/**
 * The régions and départements for the member filters, fetched once:
 * {regions: [name…], departments: [{code, name, region}…]}.
 * Régions may come as names or as objects with a name; they are normalised to names.
 */
export function loadGeo() {
  if (!geoPromise) {
    geoPromise = fetch("/api/geo", { headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(`geo: HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => ({
        regions: (data.regions ?? [])
          .map((region) => (typeof region === "string" ? region : region?.name))
          .filter(Boolean),
        departments: (data.departments ?? []).filter((dept) => dept && dept.code),
      }))
      .catch((error) => {
        geoPromise = null; // Try again next time rather than caching a failure.
        throw error;
      });
  }
  return geoPromise;
}
