/* Empty until this layer lands; delete when the first real file exists. */
typedef int kiosk_placeholder_t;
