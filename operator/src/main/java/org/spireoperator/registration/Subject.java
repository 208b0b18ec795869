package org.spireoperator.registration;

/** The Kubernetes object an owned entry belongs to. */
public sealed interface Subject permits PodKey, NodeKey {}
