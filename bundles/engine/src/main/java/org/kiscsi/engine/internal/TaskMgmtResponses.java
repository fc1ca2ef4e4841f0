package org.kiscsi.engine.internal;

/** The Response field of a Task Management Function Response (RFC 7143 section 11.6.1). */
final class TaskMgmtResponses {
    static final int COMPLETE = 0;
    static final int TASK_DOES_NOT_EXIST = 1;
    static final int NOT_SUPPORTED = 5;
    static final int REJECTED = 255;

    private TaskMgmtResponses() {
    }

    static String text(int response) {
        return switch (response) {
            case COMPLETE -> "function complete";
            case TASK_DOES_NOT_EXIST -> "task does not exist";
            case 2 -> "LUN does not exist";
            case 3 -> "task still allegiant";
            case 4 -> "task allegiance reassignment not supported";
            case NOT_SUPPORTED -> "task management function not supported";
            case 6 -> "function authorization failed";
            case REJECTED -> "function rejected";
            default -> "reserved response " + response; // RFC 7143 defines 0-6 and 255
        };
    }
}
