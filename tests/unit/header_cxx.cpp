// header_cxx — clusapi.h compiles as C++ (extern "C", char16_t WCHAR) and gives C++ the same
// layouts as C. Checks are static; the program only has to build and return 0. Function
// pointer typedefs are checked with decltype, which does not odr-use the functions, so this
// links without libclusapi.
#include <clusapi.h>

#include <cstddef>
#include <type_traits>

static_assert(sizeof(BOOL) == 4, "BOOL");
static_assert(sizeof(BOOLEAN) == 1, "BOOLEAN");
static_assert(sizeof(WORD) == 2, "WORD");
static_assert(sizeof(DWORD) == 4, "DWORD");
static_assert(sizeof(HRESULT) == 4, "HRESULT");
static_assert(std::is_same<WCHAR, char16_t>::value, "WCHAR is char16_t in C++");
static_assert(sizeof(CLUSTER_SETUP_PHASE) == 4, "enum size");
static_assert(sizeof(CLUSTER_IP_ENTRY) == 16, "CLUSTER_IP_ENTRY");
static_assert(sizeof(CREATE_CLUSTER_CONFIG) == 88, "CREATE_CLUSTER_CONFIG");
static_assert(offsetof(CREATE_CLUSTER_CONFIG, fEmptyCluster) == 48, "fEmptyCluster");
static_assert(offsetof(CREATE_CLUSTER_CONFIG, managementPointType) == 52, "managementPointType");
static_assert(offsetof(CREATE_CLUSTER_CONFIG, pszDomain) == 80, "pszDomain");
static_assert(sizeof(CLUSTERVERSIONINFO) == 284, "CLUSTERVERSIONINFO");
static_assert(offsetof(CLUSTERVERSIONINFO, szCSDVersion) == 138, "szCSDVersion");

static_assert(std::is_same<decltype(&CreateCluster), PCLUSAPI_CREATE_CLUSTER>::value, "");
static_assert(std::is_same<decltype(&AddClusterNodeEx), PCLUSAPI_ADD_CLUSTER_NODE_EX>::value, "");
static_assert(std::is_same<decltype(&DestroyCluster), PCLUSAPI_DESTROY_CLUSTER>::value, "");
static_assert(std::is_same<decltype(&EvictClusterNodeEx), PCLUSAPI_EVICT_CLUSTER_NODE_EX>::value,
              "");
static_assert(!std::is_same<HCLUSTER, HNODE>::value, "handles are distinct types");
static_assert(ClusterSetupPhaseFailureCleanup == 999, "phase value");

static BOOL WINAPI on_progress(PVOID, CLUSTER_SETUP_PHASE, CLUSTER_SETUP_PHASE_TYPE,
                               CLUSTER_SETUP_PHASE_SEVERITY, DWORD, PCWSTR, DWORD)
{
    return TRUE;
}

int main()
{
    static PCWSTR nodes[] = {u"node1", u"node2"};
    CLUSTER_IP_ENTRY ip = {u"10.0.0.50", 24};
    CREATE_CLUSTER_CONFIG cfg = {};

    cfg.dwVersion = CLUSAPI_VERSION;
    cfg.lpszClusterName = u"clus1";
    cfg.cNodes = 2;
    cfg.ppszNodeNames = nodes;
    cfg.cIpEntries = 1;
    cfg.pIpEntries = &ip;
    cfg.managementPointType = CLUSTER_MGMT_POINT_TYPE_DNS_ONLY;

    PCLUSTER_SETUP_PROGRESS_CALLBACK cb = on_progress;
    BOOL ok = cb(&cfg, ClusterSetupPhaseInitialize, ClusterSetupPhaseStart,
                 ClusterSetupPhaseInformational, 0, cfg.lpszClusterName, ERROR_SUCCESS);
    return ok == TRUE && cfg.pIpEntries[0].dwPrefixLength == 24 ? 0 : 1;
}
