package org.spireoperator.observe;

import java.util.List;
import java.util.Set;
import org.spireoperator.reconcile.PassReport;
import org.spireoperator.reconcile.RegistrarEvents;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Selector;

/** Fans registrar events out to several listeners. */
public final class CompositeEvents implements RegistrarEvents {

  private final List<RegistrarEvents> listeners;

  public CompositeEvents(List<RegistrarEvents> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void rejected(Subject subject, String reason) {
    listeners.forEach(l -> l.rejected(subject, reason));
  }

  @Override
  public void writeFailed(Subject subject, String detail) {
    listeners.forEach(l -> l.writeFailed(subject, detail));
  }

  @Override
  public void wrote(Subject subject, int created, int updated, int deleted) {
    listeners.forEach(l -> l.wrote(subject, created, updated, deleted));
  }

  @Override
  public void indistinguishableNodes(Set<String> nodes, Set<Selector> selectors) {
    listeners.forEach(l -> l.indistinguishableNodes(nodes, selectors));
  }

  @Override
  public void agentFallback(String node, String reason) {
    listeners.forEach(l -> l.agentFallback(node, reason));
  }

  @Override
  public void passCompleted(PassReport report) {
    listeners.forEach(l -> l.passCompleted(report));
  }
}
