package org.kiscsi.transport.iser.ibverbs;

/** Hears the RDMA CM events of one cm_id, on the device's event thread. */
interface CmHandler {
    int ADDR_RESOLVED = 0;
    int ADDR_ERROR = 1;
    int ROUTE_RESOLVED = 2;
    int ROUTE_ERROR = 3;
    int CONNECT_REQUEST = 4;
    int CONNECT_ERROR = 6;
    int UNREACHABLE = 7;
    int REJECTED = 8;
    int ESTABLISHED = 9;
    int DISCONNECTED = 10;
    int DEVICE_REMOVAL = 11;
    int TIMEWAIT_EXIT = 15;

    void event(int type, int status, long id, byte[] privateData);

    static String name(int type) {
        return switch (type) {
            case ADDR_RESOLVED -> "ADDR_RESOLVED";
            case ADDR_ERROR -> "ADDR_ERROR";
            case ROUTE_RESOLVED -> "ROUTE_RESOLVED";
            case ROUTE_ERROR -> "ROUTE_ERROR";
            case CONNECT_REQUEST -> "CONNECT_REQUEST";
            case CONNECT_ERROR -> "CONNECT_ERROR";
            case UNREACHABLE -> "UNREACHABLE";
            case REJECTED -> "REJECTED";
            case ESTABLISHED -> "ESTABLISHED";
            case DISCONNECTED -> "DISCONNECTED";
            case DEVICE_REMOVAL -> "DEVICE_REMOVAL";
            case TIMEWAIT_EXIT -> "TIMEWAIT_EXIT";
            default -> "event " + type;
        };
    }
}
