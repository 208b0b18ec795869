package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The counters spire-controller-manager reports for a {@link ClusterSPIFFEID} (same names, always
 * written, zero included).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "namespacesSelected",
  "namespacesIgnored",
  "podsSelected",
  "podEntryRenderFailures",
  "entriesMasked",
  "entriesToSet",
  "entryFailures"
})
public class ClusterSPIFFEIDStats {

  @JsonProperty("namespacesSelected")
  @JsonPropertyDescription("Namespaces the namespaceSelector selected, ignored ones included.")
  private int namespacesSelected;

  @JsonProperty("namespacesIgnored")
  @JsonPropertyDescription(
      "Selected namespaces skipped because the controller's configuration ignores them.")
  private int namespacesIgnored;

  @JsonProperty("podsSelected")
  @JsonPropertyDescription("Pods the podSelector selected in the namespaces not ignored.")
  private int podsSelected;

  @JsonProperty("podEntryRenderFailures")
  @JsonPropertyDescription(
      "Selected pods whose entry could not be rendered: a template error or a value that is not a "
          + "valid SPIFFE ID, selector or parent (e.g. the pod's node is unknown).")
  private int podEntryRenderFailures;

  @JsonProperty("entriesMasked")
  @JsonPropertyDescription(
      "Rendered entries not set because an older ClusterSPIFFEID or ClusterStaticEntry declares "
          + "the same entry (same SPIFFE ID, parent and selectors).")
  private int entriesMasked;

  @JsonProperty("entriesToSet")
  @JsonPropertyDescription("Entries this ClusterSPIFFEID sets in SPIRE.")
  private int entriesToSet;

  @JsonProperty("entryFailures")
  @JsonPropertyDescription("Entries the SPIRE server refused to create or update.")
  private int entryFailures;

  public ClusterSPIFFEIDStats() {}

  public ClusterSPIFFEIDStats(
      int namespacesSelected,
      int namespacesIgnored,
      int podsSelected,
      int podEntryRenderFailures,
      int entriesMasked,
      int entriesToSet,
      int entryFailures) {
    this.namespacesSelected = namespacesSelected;
    this.namespacesIgnored = namespacesIgnored;
    this.podsSelected = podsSelected;
    this.podEntryRenderFailures = podEntryRenderFailures;
    this.entriesMasked = entriesMasked;
    this.entriesToSet = entriesToSet;
    this.entryFailures = entryFailures;
  }

  public int getNamespacesSelected() {
    return namespacesSelected;
  }

  public void setNamespacesSelected(int namespacesSelected) {
    this.namespacesSelected = namespacesSelected;
  }

  public int getNamespacesIgnored() {
    return namespacesIgnored;
  }

  public void setNamespacesIgnored(int namespacesIgnored) {
    this.namespacesIgnored = namespacesIgnored;
  }

  public int getPodsSelected() {
    return podsSelected;
  }

  public void setPodsSelected(int podsSelected) {
    this.podsSelected = podsSelected;
  }

  public int getPodEntryRenderFailures() {
    return podEntryRenderFailures;
  }

  public void setPodEntryRenderFailures(int podEntryRenderFailures) {
    this.podEntryRenderFailures = podEntryRenderFailures;
  }

  public int getEntriesMasked() {
    return entriesMasked;
  }

  public void setEntriesMasked(int entriesMasked) {
    this.entriesMasked = entriesMasked;
  }

  public int getEntriesToSet() {
    return entriesToSet;
  }

  public void setEntriesToSet(int entriesToSet) {
    this.entriesToSet = entriesToSet;
  }

  public int getEntryFailures() {
    return entryFailures;
  }

  public void setEntryFailures(int entryFailures) {
    this.entryFailures = entryFailures;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSPIFFEIDStats s
        && namespacesSelected == s.namespacesSelected
        && namespacesIgnored == s.namespacesIgnored
        && podsSelected == s.podsSelected
        && podEntryRenderFailures == s.podEntryRenderFailures
        && entriesMasked == s.entriesMasked
        && entriesToSet == s.entriesToSet
        && entryFailures == s.entryFailures;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        namespacesSelected,
        namespacesIgnored,
        podsSelected,
        podEntryRenderFailures,
        entriesMasked,
        entriesToSet,
        entryFailures);
  }

  @Override
  public String toString() {
    return "ClusterSPIFFEIDStats{namespacesSelected="
        + namespacesSelected
        + ", namespacesIgnored="
        + namespacesIgnored
        + ", podsSelected="
        + podsSelected
        + ", podEntryRenderFailures="
        + podEntryRenderFailures
        + ", entriesMasked="
        + entriesMasked
        + ", entriesToSet="
        + entriesToSet
        + ", entryFailures="
        + entryFailures
        + "}";
  }
}
