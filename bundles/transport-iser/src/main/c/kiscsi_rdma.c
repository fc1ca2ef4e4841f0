/*
 * kiscsi's JNI shim over libibverbs and librdmacm, for org.kiscsi.transport.iser.ibverbs.NativeRdma.
 *
 * ibv_post_send, ibv_post_recv, ibv_poll_cq and ibv_req_notify_cq are static inline functions in
 * <infiniband/verbs.h> (they dispatch through the context's ops table), so no Java binding can call
 * them by name: this file is where they are called. Every function returns without blocking, except
 * waitEvents, which waits at most its timeout. Failures throw NativeError naming the call and errno.
 */
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include "org_kiscsi_transport_iser_ibverbs_NativeRdma.h"

/* One open device: its verbs context, the CM event channel and the completion channel. */
struct kdev {
    struct ibv_context **list;
    struct ibv_context *ctx;
    struct rdma_event_channel *cm;
    struct ibv_comp_channel *comp;
};

#define PTR(x) ((void *) (intptr_t) (x))
#define JPTR(p) ((jlong) (intptr_t) (p))

static void fail(JNIEnv *env, const char *call, int err) {
    jclass c = (*env)->FindClass(env, "org/kiscsi/transport/iser/ibverbs/NativeError");
    if (c == NULL) {
        return;
    }
    jmethodID m = (*env)->GetMethodID(env, c, "<init>", "(Ljava/lang/String;ILjava/lang/String;)V");
    if (m == NULL) {
        return;
    }
    jstring jcall = (*env)->NewStringUTF(env, call);
    jstring jmsg = (*env)->NewStringUTF(env, strerror(err));
    jobject e = (*env)->NewObject(env, c, m, jcall, (jint) err, jmsg);
    if (e != NULL) {
        (*env)->Throw(env, (jthrowable) e);
    }
}

static int nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* A socket address from an IPv4 (4 bytes) or IPv6 (16 bytes) address and a port. */
static int sockaddr_of(JNIEnv *env, jbyteArray ip, jint port, struct sockaddr_storage *sa) {
    jsize n = (*env)->GetArrayLength(env, ip);
    memset(sa, 0, sizeof *sa);
    if (n == 4) {
        struct sockaddr_in *in = (struct sockaddr_in *) sa;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, ip, 0, 4, (jbyte *) &in->sin_addr);
        return 0;
    }
    if (n == 16) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) sa;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, ip, 0, 16, (jbyte *) &in6->sin6_addr);
        return 0;
    }
    fail(env, "address", EAFNOSUPPORT);
    return -1;
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_open(JNIEnv *env, jclass k, jstring name) {
    int n = 0;
    errno = 0;
    struct ibv_context **list = rdma_get_devices(&n);
    if (list == NULL || n == 0) {
        int err = errno != 0 ? errno : ENODEV;
        if (list != NULL) {
            rdma_free_devices(list);
        }
        fail(env, "rdma_get_devices", err);
        return 0;
    }
    struct ibv_context *ctx = list[0];
    if (name != NULL) {
        const char *want = (*env)->GetStringUTFChars(env, name, NULL);
        ctx = NULL;
        for (int i = 0; i < n; i++) {
            if (strcmp(ibv_get_device_name(list[i]->device), want) == 0) {
                ctx = list[i];
            }
        }
        (*env)->ReleaseStringUTFChars(env, name, want);
        if (ctx == NULL) {
            rdma_free_devices(list);
            fail(env, "rdma_get_devices (no device of that name)", ENODEV);
            return 0;
        }
    }
    struct rdma_event_channel *cm = rdma_create_event_channel();
    if (cm == NULL) {
        int err = errno;
        rdma_free_devices(list);
        fail(env, "rdma_create_event_channel", err);
        return 0;
    }
    struct ibv_comp_channel *comp = ibv_create_comp_channel(ctx);
    if (comp == NULL) {
        int err = errno;
        rdma_destroy_event_channel(cm);
        rdma_free_devices(list);
        fail(env, "ibv_create_comp_channel", err);
        return 0;
    }
    if (nonblocking(cm->fd) < 0 || nonblocking(comp->fd) < 0) {
        int err = errno;
        ibv_destroy_comp_channel(comp);
        rdma_destroy_event_channel(cm);
        rdma_free_devices(list);
        fail(env, "fcntl(O_NONBLOCK)", err);
        return 0;
    }
    struct kdev *d = calloc(1, sizeof *d);
    if (d == NULL) {
        ibv_destroy_comp_channel(comp);
        rdma_destroy_event_channel(cm);
        rdma_free_devices(list);
        fail(env, "calloc", ENOMEM);
        return 0;
    }
    d->list = list;
    d->ctx = ctx;
    d->cm = cm;
    d->comp = comp;
    return JPTR(d);
}

JNIEXPORT jstring JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_deviceName(JNIEnv *env, jclass k, jlong dev) {
    struct kdev *d = PTR(dev);
    return (*env)->NewStringUTF(env, ibv_get_device_name(d->ctx->device));
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_close(JNIEnv *env, jclass k, jlong dev) {
    struct kdev *d = PTR(dev);
    ibv_destroy_comp_channel(d->comp);
    rdma_destroy_event_channel(d->cm);
    rdma_free_devices(d->list);
    free(d);
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_allocPd(JNIEnv *env, jclass k, jlong dev) {
    struct kdev *d = PTR(dev);
    struct ibv_pd *pd = ibv_alloc_pd(d->ctx);
    if (pd == NULL) {
        fail(env, "ibv_alloc_pd", errno);
    }
    return JPTR(pd);
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_deallocPd(JNIEnv *env, jclass k, jlong pd) {
    int err = ibv_dealloc_pd(PTR(pd));
    if (err != 0) {
        fail(env, "ibv_dealloc_pd", err);
    }
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_regMr(JNIEnv *env, jclass k, jlong pd, jobject buffer,
        jint offset, jint length, jint access) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    if (base == NULL) {
        fail(env, "GetDirectBufferAddress (not a direct buffer)", EINVAL);
        return 0;
    }
    struct ibv_mr *mr = ibv_reg_mr(PTR(pd), base + offset, (size_t) length, access);
    if (mr == NULL) {
        fail(env, "ibv_reg_mr", errno);
    }
    return JPTR(mr);
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_mrAddress(JNIEnv *env, jclass k, jlong mr) {
    return (jlong) (intptr_t) ((struct ibv_mr *) PTR(mr))->addr;
}

/* lkey in the high 32 bits, rkey in the low. */
JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_mrKeys(JNIEnv *env, jclass k, jlong mr) {
    struct ibv_mr *m = PTR(mr);
    return ((jlong) m->lkey << 32) | (jlong) m->rkey;
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_deregMr(JNIEnv *env, jclass k, jlong mr) {
    int err = ibv_dereg_mr(PTR(mr));
    if (err != 0) {
        fail(env, "ibv_dereg_mr", err);
    }
}

/*
 * A type 2 memory window; its rkey (unbound, it grants nothing) is read with mwRkey. A device or
 * provider without windows fails with EOPNOTSUPP or ENOSYS, which the Java side reports as such.
 */
JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_allocMw(JNIEnv *env, jclass k, jlong pd) {
    errno = 0;
    struct ibv_mw *mw = ibv_alloc_mw(PTR(pd), IBV_MW_TYPE_2);
    if (mw == NULL) {
        fail(env, "ibv_alloc_mw(IBV_MW_TYPE_2)", errno != 0 ? errno : EOPNOTSUPP);
    }
    return JPTR(mw);
}

JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_mwRkey(JNIEnv *env, jclass k, jlong mw) {
    return (jint) ((struct ibv_mw *) PTR(mw))->rkey;
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_deallocMw(JNIEnv *env, jclass k, jlong mw) {
    int err = ibv_dealloc_mw(PTR(mw));
    if (err != 0) {
        fail(env, "ibv_dealloc_mw", err);
    }
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_createCq(JNIEnv *env, jclass k, jlong dev, jint entries) {
    struct kdev *d = PTR(dev);
    struct ibv_cq *cq = ibv_create_cq(d->ctx, entries, NULL, d->comp, 0);
    if (cq == NULL) {
        fail(env, "ibv_create_cq", errno);
    }
    return JPTR(cq);
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_destroyCq(JNIEnv *env, jclass k, jlong cq) {
    int err = ibv_destroy_cq(PTR(cq));
    if (err != 0) {
        fail(env, "ibv_destroy_cq", err);
    }
}

JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_reqNotify(JNIEnv *env, jclass k, jlong cq) {
    return ibv_req_notify_cq(PTR(cq), 0);
}

/* The completion statuses NativeRdma names (WorkCompletion.Status's order); anything else is 8. */
static jint status_code(enum ibv_wc_status s) {
    switch (s) {
    case IBV_WC_SUCCESS: return 0;
    case IBV_WC_LOC_LEN_ERR: return 1;
    case IBV_WC_LOC_PROT_ERR: return 2;
    case IBV_WC_REM_ACCESS_ERR: return 3;
    case IBV_WC_REM_INV_REQ_ERR: return 4;
    case IBV_WC_RNR_RETRY_EXC_ERR: return 5;
    case IBV_WC_WR_FLUSH_ERR: return 6;
    case IBV_WC_MW_BIND_ERR: return 7;
    default: return 8;
    }
}

static jint opcode_code(enum ibv_wc_opcode o) {
    switch (o) {
    case IBV_WC_RDMA_WRITE: return 1;
    case IBV_WC_RDMA_READ: return 2;
    case IBV_WC_RECV: return 3;
    case IBV_WC_BIND_MW: return 4;
    case IBV_WC_LOCAL_INV: return 5;
    default: return 0;
    }
}

/*
 * Polls up to max completions into out, 32 bytes each in the platform's byte order: wr_id (8),
 * status (4, status_code), opcode (4, opcode_code), byte_len (4), invalidated rkey or 0 (4),
 * qp_num (4), the raw ibv_wc_status (4). Returns how many, or -errno.
 */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_pollCq(JNIEnv *env, jclass k, jlong cq, jobject out, jint max) {
    char *p = (*env)->GetDirectBufferAddress(env, out);
    jlong cap = (*env)->GetDirectBufferCapacity(env, out);
    if (p == NULL || cap < (jlong) max * 32) {
        return -EINVAL;
    }
    struct ibv_wc wc[16];
    int total = 0;
    while (total < max) {
        int want = max - total < 16 ? max - total : 16;
        int n = ibv_poll_cq(PTR(cq), want, wc);
        if (n < 0) {
            return total > 0 ? total : -EIO;
        }
        for (int i = 0; i < n; i++, total++) {
            char *e = p + (size_t) total * 32;
            uint64_t id = wc[i].wr_id;
            int32_t v[6] = {
                status_code(wc[i].status), opcode_code(wc[i].opcode), (int32_t) wc[i].byte_len,
                (wc[i].wc_flags & IBV_WC_WITH_INV) ? (int32_t) wc[i].invalidated_rkey : 0,
                (int32_t) wc[i].qp_num, (int32_t) wc[i].status
            };
            memcpy(e, &id, 8);
            memcpy(e + 8, v, sizeof v);
        }
        if (n < want) {
            break;
        }
    }
    return total;
}

/* Waits up to timeoutMs for either channel: bit 0 the CM's, bit 1 the completions'; -errno on failure. */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_waitEvents(JNIEnv *env, jclass k, jlong dev, jint timeoutMs) {
    struct kdev *d = PTR(dev);
    struct pollfd fds[2] = {{.fd = d->cm->fd, .events = POLLIN}, {.fd = d->comp->fd, .events = POLLIN}};
    int n = poll(fds, 2, timeoutMs);
    if (n < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    return ((fds[0].revents & POLLIN) ? 1 : 0) | ((fds[1].revents & POLLIN) ? 2 : 0);
}

/* The next completion queue that fired, acknowledged, or 0 when none. */
JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_nextCqEvent(JNIEnv *env, jclass k, jlong dev) {
    struct kdev *d = PTR(dev);
    struct ibv_cq *cq;
    void *ctx;
    if (ibv_get_cq_event(d->comp, &cq, &ctx) != 0) {
        return 0;
    }
    ibv_ack_cq_events(cq, 1);
    return JPTR(cq);
}

/*
 * The next CM event, copied and acknowledged: out = {event, id, listen id, status}; its private
 * data into priv (as much as fits). Returns the private data's length, or -1 when there is none.
 */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_nextCmEvent(JNIEnv *env, jclass k, jlong dev, jlongArray out,
        jbyteArray priv) {
    struct kdev *d = PTR(dev);
    struct rdma_cm_event *ev;
    if (rdma_get_cm_event(d->cm, &ev) != 0) {
        return -1;
    }
    jlong v[4] = {ev->event, JPTR(ev->id), JPTR(ev->listen_id), ev->status};
    (*env)->SetLongArrayRegion(env, out, 0, 4, v);
    jint len = 0;
    if (ev->event == RDMA_CM_EVENT_CONNECT_REQUEST || ev->event == RDMA_CM_EVENT_ESTABLISHED
            || ev->event == RDMA_CM_EVENT_REJECTED || ev->event == RDMA_CM_EVENT_CONNECT_RESPONSE) {
        len = ev->param.conn.private_data_len;
        jsize cap = (*env)->GetArrayLength(env, priv);
        if (len > cap) {
            len = cap;
        }
        if (len > 0 && ev->param.conn.private_data != NULL) {
            (*env)->SetByteArrayRegion(env, priv, 0, len, (const jbyte *) ev->param.conn.private_data);
        } else {
            len = 0;
        }
    }
    rdma_ack_cm_event(ev);
    return len;
}

JNIEXPORT jlong JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_createId(JNIEnv *env, jclass k, jlong dev) {
    struct kdev *d = PTR(dev);
    struct rdma_cm_id *id;
    if (rdma_create_id(d->cm, &id, NULL, RDMA_PS_TCP) != 0) {
        fail(env, "rdma_create_id", errno);
        return 0;
    }
    return JPTR(id);
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_resolveAddr(JNIEnv *env, jclass k, jlong id, jbyteArray ip,
        jint port, jint timeoutMs) {
    struct sockaddr_storage sa;
    if (sockaddr_of(env, ip, port, &sa) == 0 && rdma_resolve_addr(PTR(id), NULL, (struct sockaddr *) &sa, timeoutMs) != 0) {
        fail(env, "rdma_resolve_addr", errno);
    }
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_resolveRoute(JNIEnv *env, jclass k, jlong id, jint timeoutMs) {
    if (rdma_resolve_route(PTR(id), timeoutMs) != 0) {
        fail(env, "rdma_resolve_route", errno);
    }
}

/* An RC queue pair on id over pd, one CQ for sends and receives; returns its number. */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_createQp(JNIEnv *env, jclass k, jlong id, jlong pd, jlong cq,
        jint maxSend, jint maxRecv) {
    struct rdma_cm_id *cid = PTR(id);
    struct ibv_pd *p = PTR(pd);
    if (cid->verbs != p->context) {
        fail(env, "rdma_create_qp (the route leads through another RDMA device than the protection domain's)", EXDEV);
        return 0;
    }
    struct ibv_qp_init_attr a;
    memset(&a, 0, sizeof a);
    a.qp_type = IBV_QPT_RC;
    a.send_cq = PTR(cq);
    a.recv_cq = PTR(cq);
    a.cap.max_send_wr = (uint32_t) maxSend;
    a.cap.max_recv_wr = (uint32_t) maxRecv;
    a.cap.max_send_sge = 1;
    a.cap.max_recv_sge = 1;
    if (rdma_create_qp(cid, p, &a) != 0) {
        fail(env, "rdma_create_qp", errno);
        return 0;
    }
    return (jint) cid->qp->qp_num;
}

static void conn_param(JNIEnv *env, struct rdma_conn_param *c, jint responder, jint initiator, jint retry, jint rnr,
        jbyteArray priv, jbyte *buf) {
    memset(c, 0, sizeof *c);
    c->responder_resources = (uint8_t) responder;
    c->initiator_depth = (uint8_t) initiator;
    c->retry_count = (uint8_t) retry;
    c->rnr_retry_count = (uint8_t) rnr;
    jsize n = priv == NULL ? 0 : (*env)->GetArrayLength(env, priv);
    if (n > 56) {
        n = 56;
    }
    if (n > 0) {
        (*env)->GetByteArrayRegion(env, priv, 0, n, buf);
        c->private_data = buf;
        c->private_data_len = (uint8_t) n;
    }
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_connect(JNIEnv *env, jclass k, jlong id, jint responder,
        jint initiator, jint retry, jint rnr, jbyteArray priv) {
    struct rdma_conn_param c;
    jbyte buf[56];
    conn_param(env, &c, responder, initiator, retry, rnr, priv, buf);
    if (rdma_connect(PTR(id), &c) != 0) {
        fail(env, "rdma_connect", errno);
    }
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_accept(JNIEnv *env, jclass k, jlong id, jint responder,
        jint initiator, jint retry, jint rnr, jbyteArray priv) {
    struct rdma_conn_param c;
    jbyte buf[56];
    conn_param(env, &c, responder, initiator, retry, rnr, priv, buf);
    if (rdma_accept(PTR(id), &c) != 0) {
        fail(env, "rdma_accept", errno);
    }
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_reject(JNIEnv *env, jclass k, jlong id) {
    rdma_reject(PTR(id), NULL, 0);
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_disconnect(JNIEnv *env, jclass k, jlong id) {
    rdma_disconnect(PTR(id));
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_destroyQp(JNIEnv *env, jclass k, jlong id) {
    struct rdma_cm_id *cid = PTR(id);
    if (cid->qp != NULL) {
        rdma_destroy_qp(cid);
    }
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_destroyId(JNIEnv *env, jclass k, jlong id) {
    rdma_destroy_id(PTR(id));
}

JNIEXPORT void JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_listen(JNIEnv *env, jclass k, jlong id, jbyteArray ip,
        jint port, jint backlog) {
    struct sockaddr_storage sa;
    if (sockaddr_of(env, ip, port, &sa) != 0) {
        return;
    }
    if (rdma_bind_addr(PTR(id), (struct sockaddr *) &sa) != 0) {
        fail(env, "rdma_bind_addr", errno);
        return;
    }
    if (rdma_listen(PTR(id), backlog) != 0) {
        fail(env, "rdma_listen", errno);
    }
}

/* The id's local or peer address: port (2 bytes, big-endian), then 4 or 16 address bytes. */
JNIEXPORT jbyteArray JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_address(JNIEnv *env, jclass k, jlong id, jboolean local) {
    struct rdma_cm_id *cid = PTR(id);
    struct sockaddr *sa = local ? rdma_get_local_addr(cid) : rdma_get_peer_addr(cid);
    jbyte b[18];
    jsize n;
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) sa;
        memcpy(b, &in6->sin6_port, 2);
        memcpy(b + 2, &in6->sin6_addr, 16);
        n = 18;
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *) sa;
        memcpy(b, &in->sin_port, 2);
        memcpy(b + 2, &in->sin_addr, 4);
        n = 6;
    }
    jbyteArray r = (*env)->NewByteArray(env, n);
    if (r != NULL) {
        (*env)->SetByteArrayRegion(env, r, 0, n, b);
    }
    return r;
}

/* Returns 0 or the errno of ibv_post_recv. */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_postRecv(JNIEnv *env, jclass k, jlong id, jlong wrId,
        jlong addr, jint length, jint lkey) {
    struct rdma_cm_id *cid = PTR(id);
    struct ibv_sge sge = {.addr = (uint64_t) addr, .length = (uint32_t) length, .lkey = (uint32_t) lkey};
    struct ibv_recv_wr wr = {.wr_id = (uint64_t) wrId, .sg_list = &sge, .num_sge = 1};
    struct ibv_recv_wr *bad;
    return ibv_post_recv(cid->qp, &wr, &bad);
}

/* opcode: 0 Send, 1 Send with Invalidate, 2 RDMA Write, 3 RDMA Read. Returns 0 or the errno of ibv_post_send. */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_postSend(JNIEnv *env, jclass k, jlong id, jlong wrId, jint opcode,
        jlong addr, jint length, jint lkey, jlong remoteAddr, jint rkey, jint invalidateRkey, jboolean signaled) {
    struct rdma_cm_id *cid = PTR(id);
    struct ibv_sge sge = {.addr = (uint64_t) addr, .length = (uint32_t) length, .lkey = (uint32_t) lkey};
    struct ibv_send_wr wr;
    struct ibv_send_wr *bad;
    memset(&wr, 0, sizeof wr);
    wr.wr_id = (uint64_t) wrId;
    wr.sg_list = &sge;
    wr.num_sge = 1;
    wr.send_flags = signaled ? IBV_SEND_SIGNALED : 0;
    switch (opcode) {
    case 0:
        wr.opcode = IBV_WR_SEND;
        break;
    case 1:
        wr.opcode = IBV_WR_SEND_WITH_INV;
        wr.invalidate_rkey = (uint32_t) invalidateRkey;
        break;
    case 2:
        wr.opcode = IBV_WR_RDMA_WRITE;
        wr.wr.rdma.remote_addr = (uint64_t) remoteAddr;
        wr.wr.rdma.rkey = (uint32_t) rkey;
        break;
    case 3:
        wr.opcode = IBV_WR_RDMA_READ;
        wr.wr.rdma.remote_addr = (uint64_t) remoteAddr;
        wr.wr.rdma.rkey = (uint32_t) rkey;
        break;
    default:
        return EINVAL;
    }
    return ibv_post_send(cid->qp, &wr, &bad);
}

/*
 * Binds type 2 window mw over [addr, addr+length) of mr with access (IBV_ACCESS_REMOTE_*), under the
 * rkey the caller computed (rkey, the key byte of the window's last one incremented, as ibv_inc_rkey
 * does; the provider takes it for the bind and, once it executed, mw->rkey says it too). Returns 0 or
 * the errno of ibv_post_send.
 */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_postBind(JNIEnv *env, jclass k, jlong id, jlong wrId, jlong mw,
        jint rkey, jlong mr, jlong addr, jlong length, jint access, jboolean signaled) {
    struct rdma_cm_id *cid = PTR(id);
    struct ibv_send_wr wr;
    struct ibv_send_wr *bad;
    memset(&wr, 0, sizeof wr);
    wr.wr_id = (uint64_t) wrId;
    wr.opcode = IBV_WR_BIND_MW;
    wr.send_flags = signaled ? IBV_SEND_SIGNALED : 0;
    wr.bind_mw.mw = PTR(mw);
    wr.bind_mw.rkey = (uint32_t) rkey;
    wr.bind_mw.bind_info.mr = PTR(mr);
    wr.bind_mw.bind_info.addr = (uint64_t) addr;
    wr.bind_mw.bind_info.length = (uint64_t) length;
    wr.bind_mw.bind_info.mw_access_flags = (unsigned int) access;
    return ibv_post_send(cid->qp, &wr, &bad);
}

/* The rkey of a window's next bind: its key byte incremented (ibv_inc_rkey). */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_incRkey(JNIEnv *env, jclass k, jint rkey) {
    return (jint) ibv_inc_rkey((uint32_t) rkey);
}

/* Posts a signaled local invalidation of rkey (IBV_WR_LOCAL_INV). Returns 0 or the errno of ibv_post_send. */
JNIEXPORT jint JNICALL Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_postLocalInvalidate(JNIEnv *env, jclass k, jlong id, jlong wrId,
        jint rkey) {
    struct rdma_cm_id *cid = PTR(id);
    struct ibv_send_wr wr;
    struct ibv_send_wr *bad;
    memset(&wr, 0, sizeof wr);
    wr.wr_id = (uint64_t) wrId;
    wr.opcode = IBV_WR_LOCAL_INV;
    wr.send_flags = IBV_SEND_SIGNALED;
    wr.invalidate_rkey = (uint32_t) rkey;
    return ibv_post_send(cid->qp, &wr, &bad);
}
