package org.segflow.cli;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * Makes the embedded Temporal server ignore sticky execution. A worker asks for its workflow's next tasks
 * on its own "sticky" queue; a real server moves a task back to the normal queue when nobody polls the
 * sticky one within its schedule-to-start timeout (5 s), so a killed orchestrator process is replaced by
 * any other. The Java test server never does, and a pipeline whose orchestrator was killed would wait
 * forever. Without the sticky attributes every workflow task goes to the normal queue, where any
 * orchestrator takes it and replays the (short) history.
 */
final class NoStickyExecution implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!call.getMethodDescriptor().getFullMethodName().endsWith("/RespondWorkflowTaskCompleted")) {
      return listener;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        super.onMessage((Q) ((RespondWorkflowTaskCompletedRequest) message).toBuilder().clearStickyAttributes()
            .build());
      }
    };
  }
}
